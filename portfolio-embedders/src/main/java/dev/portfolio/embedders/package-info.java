/** Embedder plugins: OpenAI-compatible HTTP, Voyage and a local ONNX model. */
package dev.portfolio.embedders;
