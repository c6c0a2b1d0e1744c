/**
 * A BERT WordPiece tokenizer read from a HuggingFace {@code tokenizer.json}, producing the same
 * token ids as the HuggingFace tokenizers library.
 */
package dev.portfolio.embedders.wordpiece;
