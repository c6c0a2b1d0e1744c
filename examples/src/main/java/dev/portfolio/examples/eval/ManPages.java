package dev.portfolio.examples.eval;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The evaluation corpus: the English Linux man pages that Debian's packages {@code manpages} and
 * {@code manpages-dev} install (the Linux man-pages project; each page states its licence in an
 * SPDX line, see {@code eval/manpages/README.md}). Nothing of them is checked in: the pages are
 * read from the files the packages list in dpkg's database, so the corpus is exactly the installed
 * package version.
 *
 * <p>A page's key is its file name without {@code .gz}, such as {@code pipe.2}. Aliases (symbolic
 * links, and pages that are only a {@code .so} request) are not documents: they map to the page
 * they name, so an expected answer may be given by either name.
 *
 * @param pages the text of every page by key, in key order
 * @param aliases alias key to page key
 * @param packageVersions the versions of the packages read, for the report
 */
record ManPages(Map<String, String> pages, Map<String, String> aliases, String packageVersions) {
  static final List<String> PACKAGES = List.of("manpages", "manpages-dev");

  /** dpkg's database; another root with {@code -Dportfolio.eval.dpkg=...}. */
  private static final Path DPKG =
      Path.of(System.getProperty("portfolio.eval.dpkg", "/var/lib/dpkg"));

  private static final Pattern PAGE = Pattern.compile("/usr/share/man/man[0-9]/([^/]+)\\.gz");

  /**
   * Reads the installed pages.
   *
   * @throws IllegalStateException naming the packages to install when they are missing
   */
  static ManPages installed() {
    Map<String, String> pages = new TreeMap<>();
    Map<String, String> aliases = new HashMap<>();
    List<String> versions = new ArrayList<>();
    for (String pkg : PACKAGES) {
      Path list = DPKG.resolve("info").resolve(pkg + ".list");
      if (!Files.isReadable(list)) {
        throw new IllegalStateException(
            "The evaluation corpus is the Linux man pages of the Debian packages "
                + String.join(" and ", PACKAGES)
                + ", and "
                + pkg
                + " is not installed ("
                + list
                + " is missing). Install them with: apt-get install -y manpages manpages-dev");
      }
      versions.add(pkg + " " + version(pkg));
      try {
        for (String line : Files.readAllLines(list, StandardCharsets.UTF_8)) {
          Matcher m = PAGE.matcher(line);
          if (!m.matches()) {
            continue;
          }
          Path file = Path.of(line);
          String key = m.group(1);
          if (Files.isSymbolicLink(file)) {
            aliases.put(key, fileName(Files.readSymbolicLink(file)).replaceFirst("\\.gz$", ""));
            continue;
          }
          if (!Files.isRegularFile(file)) {
            continue;
          }
          String roff = gunzip(file);
          String alias = RoffText.alias(roff);
          if (alias != null) {
            aliases.put(key, fileName(Path.of(alias)));
          } else {
            pages.put(key, RoffText.text(roff));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot read the man pages listed in " + list, e);
      }
    }
    return new ManPages(pages, aliases, String.join(", ", versions));
  }

  /** The page a key names: itself, or the page an alias (or a chain of them) points to. */
  String resolve(String key) {
    String k = key;
    for (int i = 0; i < 5 && !pages.containsKey(k) && aliases.containsKey(k); i++) {
      k = aliases.get(k);
    }
    return k;
  }

  private static String fileName(Path path) {
    Path name = path.getFileName();
    return name == null ? path.toString() : name.toString();
  }

  private static String gunzip(Path file) throws IOException {
    try (InputStream in = new GZIPInputStream(Files.newInputStream(file))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static String version(String pkg) {
    try {
      boolean inPackage = false;
      for (String line : Files.readAllLines(DPKG.resolve("status"), StandardCharsets.UTF_8)) {
        if (line.startsWith("Package: ")) {
          inPackage = line.substring(9).strip().equals(pkg);
        } else if (inPackage && line.startsWith("Version: ")) {
          return line.substring(9).strip();
        }
      }
    } catch (IOException e) {
      return "(version unknown)";
    }
    return "(version unknown)";
  }
}
