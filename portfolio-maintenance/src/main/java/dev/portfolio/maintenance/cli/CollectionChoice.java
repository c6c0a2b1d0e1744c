package dev.portfolio.maintenance.cli;

import dev.portfolio.core.model.CollectionInfo;
import dev.portfolio.core.spi.VectorStore;
import java.util.List;

/**
 * The collection a command works on when {@code -c} may be left out: then the only one there is.
 */
final class CollectionChoice {
  private CollectionChoice() {}

  /**
   * Returns the given collection, or the store's only collection when none was given.
   *
   * @throws CliException a usage error when none was given and there are none or several
   */
  static String resolve(VectorStore store, String given) {
    if (given != null) {
      return given;
    }
    List<String> names = store.listCollections().stream().map(CollectionInfo::name).toList();
    if (names.size() == 1) {
      return names.get(0);
    }
    if (names.isEmpty()) {
      throw CliException.usage(
          "there are no collections; create one with 'portfolio collections create'");
    }
    throw CliException.usage(
        "there are "
            + names.size()
            + " collections ("
            + Text.printable(String.join(", ", names))
            + "); name one with -c NAME");
  }
}
