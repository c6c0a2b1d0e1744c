package dev.portfolio.embedders.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns an error response body into a short, printable detail for messages. */
final class ResponseText {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern TITLE =
      Pattern.compile("<title[^>]*>(.*?)</title>", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  private static final Pattern TAG = Pattern.compile("<[^>]*>");
  private static final int LIMIT = 300;

  private ResponseText() {}

  /**
   * Returns the service's error message: {@code error.message}, {@code error}, {@code detail} or
   * {@code message} of a JSON body; the title of an HTML page; else the start of the body.
   */
  static String detail(byte[] body, String contentType) {
    if (body == null || body.length == 0) {
      return "(empty body)";
    }
    String text = new String(body, StandardCharsets.UTF_8);
    String fromJson = jsonMessage(body);
    if (fromJson != null) {
      return clip(fromJson);
    }
    if (looksLikeHtml(text, contentType)) {
      Matcher m = TITLE.matcher(text);
      String title = m.find() ? m.group(1) : TAG.matcher(text).replaceAll(" ");
      return "HTML page: " + clip(title.replaceAll("\\s+", " ").strip());
    }
    return clip(text);
  }

  /** Tells whether a body is an HTML page rather than JSON. */
  static boolean looksLikeHtml(String text, String contentType) {
    String head = text.stripLeading().toLowerCase(Locale.ROOT);
    return (contentType != null && contentType.toLowerCase(Locale.ROOT).contains("html"))
        || head.startsWith("<!doctype html")
        || head.startsWith("<html");
  }

  private static String jsonMessage(byte[] body) {
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      return null;
    }
    if (root == null || !root.isObject()) {
      return null;
    }
    JsonNode error = root.get("error");
    if (error != null && error.isObject() && error.path("message").isTextual()) {
      return error.path("message").asText();
    }
    if (error != null && error.isTextual()) {
      return error.asText();
    }
    JsonNode detail = root.get("detail");
    if (detail != null && !detail.isNull()) {
      return detail.isTextual() ? detail.asText() : detail.toString();
    }
    JsonNode message = root.get("message");
    if (message != null && message.isTextual()) {
      return message.asText();
    }
    return null;
  }

  /** Shortens and escapes a text so a hostile response cannot forge log lines. */
  static String clip(String text) {
    StringBuilder sb = new StringBuilder(Math.min(text.length(), LIMIT) + 8);
    for (int i = 0; i < text.length() && sb.length() < LIMIT; i++) {
      char c = text.charAt(i);
      if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029) {
        sb.append(c == '\n' || c == '\r' || c == '\t' ? ' ' : '?');
      } else {
        sb.append(c);
      }
    }
    if (text.length() > sb.length()) {
      sb.append("...");
    }
    return sb.toString().strip();
  }
}
