package dev.portfolio.maintenance.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the {@code --json} documents: maps built by {@link Views} (keys in a fixed order), lists,
 * strings, numbers, booleans and nulls, indented by two spaces.
 */
final class Json {
  private static final ObjectWriter WRITER;

  static {
    DefaultPrettyPrinter printer =
        new DefaultPrettyPrinter()
            .withSeparators(
                Separators.createDefaultInstance()
                    .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
            .withArrayIndenter(new DefaultIndenter("  ", "\n"))
            .withObjectIndenter(new DefaultIndenter("  ", "\n"));
    WRITER = new ObjectMapper().writer(printer);
  }

  private Json() {}

  /** Starts an object whose keys keep the order they are put in. */
  static Map<String, Object> object() {
    return new LinkedHashMap<>();
  }

  static String render(Object value) {
    try {
      return WRITER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot render JSON: " + e.getOriginalMessage(), e);
    }
  }

  static void print(PrintStream out, Object value) {
    out.println(render(value));
    out.flush();
  }
}
