package dev.portfolio.embedders.voyage;

import dev.portfolio.core.spi.Embedder;
import dev.portfolio.embedders.internal.RemoteEmbedderFaultTest;
import java.util.Map;

/** Fault injection for the voyage embedder. */
class VoyageEmbedderFaultTest extends RemoteEmbedderFaultTest {
  @Override
  protected Embedder create(Map<String, String> config) {
    return new VoyageEmbedderProvider(name -> null).create(config);
  }

  @Override
  protected String providerId() {
    return "voyage";
  }

  @Override
  protected String className() {
    return "VoyageEmbedder";
  }
}
