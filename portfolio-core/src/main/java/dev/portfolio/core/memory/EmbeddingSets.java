package dev.portfolio.core.memory;

import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.model.Chunk;
import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.model.EmbeddingSet;
import dev.portfolio.core.model.SetState;
import dev.portfolio.core.validation.StoreErrors;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.LongSupplier;

/**
 * One collection's embedding sets, each with its vectors by chunk id, and the rules of their life
 * cycle: exactly one active set, at most one building set, any number of retired ones. Not
 * thread-safe: guarded by the store's lock.
 */
final class EmbeddingSets {
  private String collection;
  private final NavigableMap<Long, VectorSet> sets = new TreeMap<>();
  private VectorSet active;

  /**
   * Starts with one active set.
   *
   * @param first the collection's first set, active
   */
  EmbeddingSets(EmbeddingSet first) {
    this.collection = first.collection();
    this.active = new VectorSet(first);
    sets.put(first.id(), active);
  }

  /** Returns the set searches read. */
  VectorSet active() {
    return active;
  }

  /** Returns a set by id, 0 meaning the active set; throws NOT_FOUND for another collection's. */
  VectorSet resolve(long setId) {
    if (setId == 0) {
      return active;
    }
    VectorSet set = sets.get(setId);
    if (set == null) {
      throw StoreErrors.setNotFound(collection, setId);
    }
    return set;
  }

  /** Lists the sets in ascending id order. */
  List<EmbeddingSet> list() {
    return sets.values().stream().map(s -> s.info).toList();
  }

  /**
   * Returns the building set for this model and dimension, creating it when there is none.
   *
   * @throws NonRetriableException CONFLICT when another set is building or the active set already
   *     has this model and dimension
   */
  EmbeddingSet createBuilding(String model, int dimension, LongSupplier ids, Instant now) {
    Optional<VectorSet> building =
        sets.values().stream().filter(s -> s.info.state() == SetState.BUILDING).findFirst();
    if (building.isPresent()) {
      EmbeddingSet existing = building.get().info;
      if (existing.model().equals(model) && existing.dimension() == dimension) {
        return existing;
      }
      throw StoreErrors.buildingSetExists(existing, model, dimension);
    }
    if (active.info.model().equals(model) && active.info.dimension() == dimension) {
      throw StoreErrors.sameModelAsActive(active.info);
    }
    EmbeddingSet created =
        new EmbeddingSet(
            ids.getAsLong(), collection, model, dimension, SetState.BUILDING, now, null, null);
    sets.put(created.id(), new VectorSet(created));
    return created;
  }

  /** Makes a set active and retires the active one; a no-op for the active set. */
  EmbeddingSet activate(long setId, Instant now) {
    VectorSet target = resolve(setId);
    if (target != active) {
      active.info = active.info.withState(SetState.RETIRED, null, now);
      target.info = target.info.withState(SetState.ACTIVE, now, null);
      active = target;
    }
    return active.info;
  }

  /**
   * Drops a building or retired set.
   *
   * @return false when the set does not exist
   * @throws NonRetriableException CONFLICT for the active set
   */
  boolean drop(long setId) {
    VectorSet set = setId == 0 ? active : sets.get(setId);
    if (set == null) {
      return false;
    }
    if (set == active) {
      throw StoreErrors.wrongSetState(
          set.info,
          "dropped",
          "Activate another set first (activateSet or rollback), or drop the whole collection.");
    }
    sets.remove(setId);
    return true;
  }

  /** Moves every set to a renamed collection. */
  void rename(String name) {
    collection = name;
    for (VectorSet set : sets.values()) {
      EmbeddingSet i = set.info;
      set.info =
          new EmbeddingSet(
              i.id(),
              name,
              i.model(),
              i.dimension(),
              i.state(),
              i.createdAt(),
              i.activatedAt(),
              i.retiredAt());
    }
  }

  /** Returns every set, in ascending id order. */
  java.util.Collection<VectorSet> all() {
    return sets.values();
  }

  /** Counts a chunk's vectors over every set. */
  int vectorsOf(long chunkId) {
    int n = 0;
    for (VectorSet set : sets.values()) {
      if (set.vectors.containsKey(chunkId)) {
        n++;
      }
    }
    return n;
  }

  /** Removes a chunk's vector from every set. */
  void forget(long chunkId) {
    for (VectorSet set : sets.values()) {
      set.vectors.remove(chunkId);
    }
  }

  /** A vector as one set stores it for one chunk. */
  record StoredVector(Embedding embedding, String model, String textHash) {}

  /** One set: what it is, and its vectors by chunk id. */
  static final class VectorSet {
    EmbeddingSet info;
    final Map<Long, StoredVector> vectors = new HashMap<>();

    VectorSet(EmbeddingSet info) {
      this.info = info;
    }

    /** Returns the vector this set holds for a chunk, or null. */
    StoredVector get(long chunkId) {
      return vectors.get(chunkId);
    }

    /** Returns a chunk as this set sees it: with this set's vector, model and text hash. */
    Chunk view(Chunk bare) {
      StoredVector v = vectors.get(bare.id());
      if (v == null) {
        return bare;
      }
      return new Chunk(
          bare.id(),
          bare.collection(),
          bare.documentKey(),
          bare.ordinal(),
          bare.text(),
          bare.contentHash(),
          bare.tokenCount(),
          v.embedding(),
          v.model(),
          v.textHash(),
          bare.metadata());
    }
  }
}
