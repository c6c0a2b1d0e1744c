package dev.portfolio.core.discovery;

import dev.portfolio.core.spi.NamedProvider;

/**
 * Test-only provider types and implementations, registered in src/test/resources/META-INF/services
 * so discovery can be tested without touching the real embedder, store and reporter services.
 */
public final class TestWidgets {
  private TestWidgets() {}

  /** A provider type with good, broken, foreign and duplicate registrations. */
  public interface TestWidgetProvider extends NamedProvider {}

  /** A provider type with two registrations of equal priority. */
  public interface TiedWidgetProvider extends NamedProvider {}

  /** A provider type nothing registers. */
  public interface UnregisteredWidgetProvider extends NamedProvider {}

  /** Priority 20. */
  public static final class Alpha implements TestWidgetProvider {
    /** Loaded by ServiceLoader. */
    public Alpha() {}

    @Override
    public String id() {
      return "alpha";
    }

    @Override
    public int priority() {
      return 20;
    }
  }

  /** Priority 10. */
  public static final class Beta implements TestWidgetProvider {
    /** Loaded by ServiceLoader. */
    public Beta() {}

    @Override
    public String id() {
      return "beta";
    }

    @Override
    public int priority() {
      return 10;
    }
  }

  /** Registered after {@link Alpha} with the same id and a higher priority: must be dropped. */
  public static final class AlphaTwin implements TestWidgetProvider {
    /** Loaded by ServiceLoader. */
    public AlphaTwin() {}

    @Override
    public String id() {
      return "alpha";
    }

    @Override
    public int priority() {
      return 99;
    }
  }

  /** Fails in its constructor, as a provider with a missing native library would. */
  public static final class Exploding implements TestWidgetProvider {
    /** Always throws. */
    public Exploding() {
      throw new IllegalStateException("native library not found");
    }

    @Override
    public String id() {
      return "exploding";
    }
  }

  /** Fails when asked for its id. */
  public static final class Nameless implements TestWidgetProvider {
    /** Loaded by ServiceLoader. */
    public Nameless() {}

    @Override
    public String id() {
      throw new UnsupportedOperationException("no id");
    }
  }

  /** Registered as a widget provider but is not one. */
  public static final class NotAWidget {
    /** Loaded by ServiceLoader. */
    public NotAWidget() {}
  }

  /** Tied with {@link TiedTwo}; wins by id. */
  public static final class TiedOne implements TiedWidgetProvider {
    /** Loaded by ServiceLoader. */
    public TiedOne() {}

    @Override
    public String id() {
      return "one";
    }

    @Override
    public int priority() {
      return 5;
    }
  }

  /** Tied with {@link TiedOne}. */
  public static final class TiedTwo implements TiedWidgetProvider {
    /** Loaded by ServiceLoader. */
    public TiedTwo() {}

    @Override
    public String id() {
      return "two";
    }

    @Override
    public int priority() {
      return 5;
    }
  }
}
