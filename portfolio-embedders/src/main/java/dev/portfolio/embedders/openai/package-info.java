/**
 * The {@code openai} embedder: any OpenAI-compatible {@code /v1/embeddings} endpoint (OpenAI, Azure
 * OpenAI, Ollama, vLLM, LM Studio, text-embeddings-inference).
 */
package dev.portfolio.embedders.openai;
