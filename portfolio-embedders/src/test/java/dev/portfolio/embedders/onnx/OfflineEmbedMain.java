package dev.portfolio.embedders.onnx;

import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.spi.Embedder;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.net.SocketException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Prints the network interfaces that are up and whether loopback answers, then embeds one sentence
 * and prints the vector norm. {@link OnnxOfflineIT} runs it inside a network namespace without
 * network.
 */
public final class OfflineEmbedMain {
  private OfflineEmbedMain() {}

  public static void main(String[] args) {
    String up;
    try {
      up =
          NetworkInterface.networkInterfaces()
              .filter(OfflineEmbedMain::isUp)
              .map(NetworkInterface::getName)
              .collect(Collectors.joining(",", "[", "]"));
    } catch (SocketException e) {
      up = "[] (" + e.getMessage() + ")";
    }
    System.out.println("interfaces up=" + up);
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9), 2000);
      System.out.println("loopback=reachable");
    } catch (IOException e) {
      System.out.println("loopback=" + e.getMessage());
    }
    try (Embedder embedder = new OnnxEmbedderProvider().create(Map.of())) {
      Embedding e = embedder.embed(List.of("Offline embedding works.")).embeddings().get(0);
      System.out.printf(Locale.ROOT, "dimension=%d norm=%.4f%n", e.dimension(), e.norm());
    }
  }

  private static boolean isUp(NetworkInterface nic) {
    try {
      return nic.isUp();
    } catch (SocketException e) {
      return false;
    }
  }
}
