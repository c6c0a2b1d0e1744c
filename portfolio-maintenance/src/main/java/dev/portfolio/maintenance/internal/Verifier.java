package dev.portfolio.maintenance.internal;

import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.inspect.CollectionSnapshot;
import dev.portfolio.core.inspect.SetSnapshot;
import dev.portfolio.core.inspect.StoreSnapshot;
import dev.portfolio.core.inspect.VectorCheck;
import dev.portfolio.core.inspect.VectorScanPage;
import dev.portfolio.core.inspect.VectorScanQuery;
import dev.portfolio.core.model.CollectionInfo;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.model.SetState;
import dev.portfolio.core.progress.ProgressTracker;
import dev.portfolio.core.spi.VectorStore;
import dev.portfolio.core.validation.StoreErrors;
import dev.portfolio.maintenance.verify.Finding;
import dev.portfolio.maintenance.verify.FindingKind;
import dev.portfolio.maintenance.verify.SetVerification;
import dev.portfolio.maintenance.verify.VerifyOptions;
import dev.portfolio.maintenance.verify.VerifyReport;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Verifies the vectors of embedding sets: streams each set's vectors in keyset pages through {@link
 * VectorStore#scanVectors} (the store examines them, on PostgreSQL on the server), counts each kind
 * of problem and keeps the first chunk ids of each. Memory is bounded by the page size and the
 * number of samples, whatever the size of the sets.
 */
public final class Verifier {
  private final Settings settings;

  /**
   * Creates a verifier.
   *
   * @param settings the store and progress reporter
   */
  public Verifier(Settings settings) {
    this.settings = settings;
  }

  /**
   * Verifies the sets the options select.
   *
   * @param options what to verify
   * @return what was found
   */
  public VerifyReport verify(VerifyOptions options) {
    VectorStore store = settings.store();
    Instant startedAt = Instant.now();
    long start = System.nanoTime();
    List<String> names = options.collections();
    if (names.isEmpty()) {
      names = store.listCollections().stream().map(CollectionInfo::name).toList();
    } else {
      for (String name : names) {
        store.findCollection(name).orElseThrow(() -> StoreErrors.collectionNotFound(name));
      }
    }
    StoreSnapshot snapshot = store.snapshot(null);
    List<EmbeddingSet> sets = new ArrayList<>();
    long total = 0;
    for (String name : names) {
      for (EmbeddingSet s : store.embeddingSets(name)) {
        boolean selected =
            options.setIds().isEmpty()
                ? s.state() != SetState.RETIRED || options.includeRetired()
                : options.setIds().contains(s.id());
        if (selected) {
          sets.add(s);
          total += expected(snapshot, s, options.sampleRate());
        }
      }
    }
    for (long id : options.setIds()) {
      if (sets.stream().noneMatch(s -> s.id() == id)) {
        List<Long> known = new ArrayList<>();
        for (String name : names) {
          store.embeddingSets(name).forEach(s -> known.add(s.id()));
        }
        throw new NonRetriableException(
            ErrorCode.NOT_FOUND,
            "No embedding set "
                + id
                + (options.collections().isEmpty() ? " in any collection" : " in " + names)
                + "; the sets there are "
                + known
                + ".");
      }
    }
    List<SetVerification> results = new ArrayList<>();
    try (ProgressTracker progress =
        ProgressTracker.start(
            settings.progress(),
            "verify embeddings" + (options.collections().isEmpty() ? "" : " " + names),
            total)) {
      try {
        for (EmbeddingSet s : sets) {
          results.add(verify(store, s, options, progress));
        }
      } catch (RuntimeException e) {
        progress.fail(e);
        throw e;
      }
      long problems =
          results.stream().flatMap(r -> r.findings().stream()).mapToLong(Finding::count).sum();
      progress.succeed(
          results.stream().mapToLong(SetVerification::examined).sum()
              + " vectors in "
              + results.size()
              + " sets verified, "
              + problems
              + " problems");
    }
    return new VerifyReport(
        startedAt, (System.nanoTime() - start) / 1_000_000, options.sampleRate(), results);
  }

  private static long expected(StoreSnapshot snapshot, EmbeddingSet s, double rate) {
    return snapshot
        .collection(s.collection())
        .flatMap(
            (CollectionSnapshot c) ->
                c.sets().stream().filter(x -> x.set().id() == s.id()).findFirst())
        .map(SetSnapshot::vectors)
        .map(v -> Math.round(v * rate))
        .orElse(0L);
  }

  /**
   * Verifies one set: streams its vectors in keyset pages and counts each kind of problem.
   *
   * @param store the store
   * @param set the set
   * @param options the sample rate, page size and samples kept (its collections are ignored)
   * @param progress advanced by the vectors examined
   * @return what was found
   */
  public static SetVerification verify(
      VectorStore store, EmbeddingSet set, VerifyOptions options, ProgressTracker progress) {
    Map<FindingKind, long[]> counts = new EnumMap<>(FindingKind.class);
    Map<FindingKind, List<Long>> samples = new EnumMap<>(FindingKind.class);
    for (FindingKind k : FindingKind.values()) {
      counts.put(k, new long[1]);
      samples.put(k, new ArrayList<>());
    }
    long examined = 0;
    VectorScanQuery query =
        VectorScanQuery.of(set.collection(), set.id(), options.pageSize())
            .withSampleRate(options.sampleRate());
    while (query != null) {
      VectorScanPage page = store.scanVectors(query);
      examined += page.examined();
      for (VectorCheck v : page.suspects()) {
        count(v.dimensionMismatch(), FindingKind.DIMENSION_MISMATCH, v, counts, samples, options);
        count(v.nonFinite(), FindingKind.NON_FINITE, v, counts, samples, options);
        count(v.zero(), FindingKind.ZERO_VECTOR, v, counts, samples, options);
        count(v.modelMismatch(), FindingKind.MODEL_MISMATCH, v, counts, samples, options);
        count(v.stale(), FindingKind.STALE, v, counts, samples, options);
        count(v.orphan(), FindingKind.ORPHAN, v, counts, samples, options);
      }
      progress.advance(page.examined());
      query = page.nextAfter().isPresent() ? query.after(page.nextAfter().getAsLong()) : null;
    }
    List<Finding> findings = new ArrayList<>();
    for (FindingKind k : FindingKind.values()) {
      findings.add(new Finding(k, counts.get(k)[0], samples.get(k)));
    }
    return new SetVerification(
        set.collection(),
        set.id(),
        set.state().name().toLowerCase(Locale.ROOT),
        set.model(),
        set.dimension(),
        examined,
        findings);
  }

  private static void count(
      boolean found,
      FindingKind kind,
      VectorCheck v,
      Map<FindingKind, long[]> counts,
      Map<FindingKind, List<Long>> samples,
      VerifyOptions options) {
    if (!found) {
      return;
    }
    counts.get(kind)[0]++;
    List<Long> ids = samples.get(kind);
    if (ids.size() < options.maxSamples()) {
      ids.add(v.chunkId());
    }
  }
}
