package dev.portfolio.core.progress;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** An SLF4J logger that keeps what it is given, with every level enabled. */
final class RecordingLogger extends LegacyAbstractLogger {
  private static final long serialVersionUID = 1L;

  /** One logged entry, with the message already formatted. */
  record Entry(Level level, String message, Throwable throwable) {}

  private final transient List<Entry> entries = new CopyOnWriteArrayList<>();

  RecordingLogger(String name) {
    this.name = name;
  }

  List<Entry> entries() {
    return List.copyOf(entries);
  }

  List<String> messages() {
    return entries.stream().map(Entry::message).toList();
  }

  List<Entry> at(Level level) {
    return entries.stream().filter(e -> e.level() == level).toList();
  }

  @Override
  public boolean isTraceEnabled() {
    return true;
  }

  @Override
  public boolean isDebugEnabled() {
    return true;
  }

  @Override
  public boolean isInfoEnabled() {
    return true;
  }

  @Override
  public boolean isWarnEnabled() {
    return true;
  }

  @Override
  public boolean isErrorEnabled() {
    return true;
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(
      Level level, Marker marker, String pattern, Object[] args, Throwable throwable) {
    entries.add(new Entry(level, MessageFormatter.basicArrayFormat(pattern, args), throwable));
  }
}
