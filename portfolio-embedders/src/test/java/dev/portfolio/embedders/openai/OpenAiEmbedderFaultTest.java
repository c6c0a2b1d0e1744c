package dev.portfolio.embedders.openai;

import dev.portfolio.core.spi.Embedder;
import dev.portfolio.embedders.internal.RemoteEmbedderFaultTest;
import java.util.Map;

/** Fault injection for the openai embedder. */
class OpenAiEmbedderFaultTest extends RemoteEmbedderFaultTest {
  @Override
  protected Embedder create(Map<String, String> config) {
    return new OpenAiEmbedderProvider(name -> null).create(config);
  }

  @Override
  protected String providerId() {
    return "openai";
  }

  @Override
  protected String className() {
    return "OpenAiEmbedder";
  }
}
