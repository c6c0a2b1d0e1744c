package dev.portfolio.maintenance.cli;

import dev.portfolio.core.discovery.Providers;
import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.ProviderConfig;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Which embedder to use: {@code --embedder <id>} ({@code onnx}, {@code openai}, {@code voyage},
 * {@code hashing} or a plugin's) with repeated {@code --embedder-opt key=value}. The id comes from
 * the option, else {@code PORTFOLIO_EMBEDDER}, else the config file, whose {@code
 * embedder-opt.<key>} entries apply when it names the same embedder. API keys are read by the
 * providers from the environment ({@code OPENAI_API_KEY}, {@code VOYAGE_API_KEY}, or the variable
 * named by {@code apiKeyEnv}); option values are never printed.
 */
final class EmbedderOptions {
  static final String ENV_EMBEDDER = "PORTFOLIO_EMBEDDER";

  /** The embedder option naming the model, which a command's {@code --model} sets. */
  static final String MODEL = "model";

  @Option(
      names = "--embedder",
      paramLabel = "ID",
      description =
          "Embedder provider: onnx (local, offline), openai (and compatible servers), voyage,"
              + " hashing (tests), or a plugin's id (default: $"
              + ENV_EMBEDDER
              + ", else embedder in the config file).")
  String id;

  @Option(
      names = "--embedder-opt",
      paramLabel = "KEY=VALUE",
      description =
          "An option of the embedder, repeatable: model=..., dimension=..., baseUrl=...,"
              + " apiKeyEnv=VAR. API keys are read from the environment; never pass one here.")
  Map<String, String> options = new LinkedHashMap<>();

  /** Whether the model option came from a command's {@code --model}. */
  private boolean modelFlag;

  /**
   * Sets the embedder's model from a command's {@code --model NAME}: the same as {@code
   * --embedder-opt model=NAME}. Nothing happens when {@code name} is null.
   *
   * @param name the model, as the embedder's {@code model} option takes it
   * @throws CliException a usage error when the name is blank or {@code --embedder-opt model=...}
   *     names another model
   */
  void model(String name) {
    if (name == null) {
      return;
    }
    if (name.isBlank()) {
      throw CliException.usage("--model needs a model name, e.g. --model text-embedding-3-small");
    }
    String given = options.get(MODEL);
    if (given != null && !given.equals(name)) {
      throw CliException.usage(
          "--model "
              + name
              + " and --embedder-opt model="
              + given
              + " name different models; give the model once");
    }
    options.put(MODEL, name);
    modelFlag = true;
  }

  /**
   * Returns the options that name this embedder on another command line: {@code --embedder <id>}
   * and the {@code --embedder-opt} values given, secrets left out.
   *
   * @param io the run's streams and environment
   * @param file the config file
   * @return the arguments, or {@code "--embedder <id>"} when no embedder was named
   */
  String arguments(CliIo io, ConfigFile file) {
    String provider = resolveId(io, file);
    StringBuilder sb =
        new StringBuilder("--embedder ").append(provider == null ? "<id>" : provider);
    options.forEach(
        (k, v) -> {
          if (!isSecret(k)) {
            sb.append(" --embedder-opt ").append(shellWord(k + "=" + v));
          }
        });
    return sb.toString();
  }

  /** Quotes a word for a shell when it holds more than letters, digits and {@code ._:/=@+-}. */
  static String shellWord(String word) {
    return word.matches("[A-Za-z0-9._:/=@+,-]+") ? word : "'" + word.replace("'", "'\\''") + "'";
  }

  /** Tells whether an embedder was named anywhere. */
  boolean given(CliIo io, ConfigFile file) {
    return resolveId(io, file) != null;
  }

  /**
   * Creates the embedder.
   *
   * @param io the run's streams and environment
   * @param file the config file
   * @param what what the embedder is for, for the message when none is given
   * @return the embedder; the caller closes it
   */
  Embedder create(CliIo io, ConfigFile file, String what) {
    String provider = resolveId(io, file);
    if (provider == null) {
      throw CliException.usage(
          what
              + " needs an embedder: pass --embedder <id> (onnx, openai, voyage, hashing) with its"
              + " --embedder-opt key=value options, set "
              + ENV_EMBEDDER
              + ", or put embedder in a --config file");
    }
    Map<String, String> config = new LinkedHashMap<>();
    if (provider.equalsIgnoreCase(String.valueOf(file.get("embedder")))) {
      config.putAll(file.embedderOptions());
    }
    options.forEach(
        (k, v) -> {
          if (isSecret(k)) {
            io.warn(
                "--embedder-opt "
                    + k
                    + " puts a secret on the command line, where the process list and shell"
                    + " history show it; set the provider's environment variable (or apiKeyEnv=VAR)"
                    + " instead");
          }
        });
    config.putAll(options);
    config.forEach(
        (k, v) -> {
          if (isSecret(k)) {
            io.secret(v);
          }
        });
    config.put(ProviderConfig.PROVIDER_KEY, provider);
    try {
      return Providers.embedder(config);
    } catch (InvalidInputException e) {
      String hint =
          modelFlag && MODEL.equals(e.argument())
              ? " --model sets the option model, which embedder " + provider + " does not take."
              : "";
      throw CliException.usage("embedder " + provider + ": " + e.getMessage() + hint);
    } catch (PortfolioException e) {
      if (e.code() == ErrorCode.PROVIDER_NOT_FOUND) {
        throw CliException.usage(e.getMessage());
      }
      throw e;
    }
  }

  private String resolveId(CliIo io, ConfigFile file) {
    return ConnectionOptions.first(id, io.env(ENV_EMBEDDER), file.get("embedder"), null);
  }

  /** Tells whether an option holds a secret (apiKey, token, ...) rather than naming one. */
  static boolean isSecret(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    boolean secret =
        k.contains("key") || k.contains("token") || k.contains("secret") || k.contains("password");
    // "tokens" names counts and prices (maxInputTokens, pricePer1kTokens), not a credential.
    return secret && !k.endsWith("env") && !k.endsWith("header") && !k.contains("tokens");
  }
}
