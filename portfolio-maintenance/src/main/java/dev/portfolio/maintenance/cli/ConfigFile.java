package dev.portfolio.maintenance.cli;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The properties file given with {@code --config}: {@code jdbc-url}, {@code user}, {@code
 * password}, {@code schema}, {@code embedder} and {@code embedder-opt.<key>}. Unknown keys are
 * rejected, so a typo does not pass silently.
 */
final class ConfigFile {
  static final ConfigFile EMPTY = new ConfigFile(null, Map.of());

  static final String EMBEDDER_OPT_PREFIX = "embedder-opt.";
  private static final Set<String> KEYS =
      Set.of("jdbc-url", "user", "password", "schema", "embedder");

  private final Path path;
  private final Map<String, String> values;

  private ConfigFile(Path path, Map<String, String> values) {
    this.path = path;
    this.values = Map.copyOf(values);
  }

  /** Reads a file; its password and embedder options are remembered as secrets. */
  static ConfigFile read(Path path, CliIo io) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (NoSuchFileException e) {
      throw CliException.usage("--config " + path + ": no such file");
    } catch (IOException | IllegalArgumentException e) {
      throw CliException.usage("--config " + path + ": cannot read it (" + e.getMessage() + ")");
    }
    Map<String, String> values = new TreeMap<>();
    Set<String> unknown = new TreeSet<>();
    for (String key : p.stringPropertyNames()) {
      String value = p.getProperty(key).trim();
      if (!KEYS.contains(key) && !key.startsWith(EMBEDDER_OPT_PREFIX)) {
        unknown.add(key);
      }
      values.put(key, value);
      if (key.equals("password")
          || (key.startsWith(EMBEDDER_OPT_PREFIX)
              && EmbedderOptions.isSecret(key.substring(EMBEDDER_OPT_PREFIX.length())))) {
        io.secret(value);
      }
    }
    if (!unknown.isEmpty()) {
      throw CliException.usage(
          "--config "
              + path
              + ": unknown key"
              + (unknown.size() > 1 ? "s " : " ")
              + unknown
              + "; known keys: jdbc-url, user, password, schema, embedder, embedder-opt.<key>");
    }
    return new ConfigFile(path, values);
  }

  /** Returns a value, or null when the file has none (or there is no file). */
  String get(String key) {
    String v = values.get(key);
    return v == null || v.isEmpty() ? null : v;
  }

  /** Returns the embedder options of the file, without their prefix. */
  Map<String, String> embedderOptions() {
    Map<String, String> out = new TreeMap<>();
    values.forEach(
        (k, v) -> {
          if (k.startsWith(EMBEDDER_OPT_PREFIX)) {
            out.put(k.substring(EMBEDDER_OPT_PREFIX.length()), v);
          }
        });
    return out;
  }

  @Override
  public String toString() {
    return path == null ? "no config file" : path.toString();
  }
}
