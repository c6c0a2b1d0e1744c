/**
 * The {@code onnx} embedder: a local sentence-embedding model (all-MiniLM-L6-v2 by default) run by
 * ONNX Runtime in-process, with our own WordPiece tokenizer, mean pooling and L2 normalisation. It
 * works with no network at all.
 */
package dev.portfolio.embedders.onnx;
