package dev.portfolio.embedders.onnx;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.portfolio.core.error.ErrorCode;
import dev.portfolio.core.error.InvalidInputException;
import dev.portfolio.core.error.NonRetriableException;
import dev.portfolio.core.error.PortfolioException;
import dev.portfolio.core.model.Embedding;
import dev.portfolio.core.spi.Embedder;
import dev.portfolio.core.spi.EmbedderInfo;
import dev.portfolio.core.spi.EmbeddingBatch;
import dev.portfolio.core.spi.EmbeddingUsage;
import dev.portfolio.core.spi.InputType;
import dev.portfolio.core.validation.Inputs;
import dev.portfolio.embedders.wordpiece.WordPieceTokenizer;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A sentence-embedding model run in-process by ONNX Runtime: WordPiece tokenization, the
 * transformer, mean pooling under the attention mask and L2 normalisation. Needs no network.
 *
 * <p>Texts are embedded in runs of {@code batchSize} texts, {@code threads} runs in parallel, each
 * run on {@code intraOpThreads} ONNX Runtime threads with spin-waiting disabled (spinning threads
 * starve each other on small machines). With the default {@code batchSize} of 1 a text's vector
 * does not depend on the other texts of the call: the int8 model quantises activations per run, so
 * batching texts together changes their vectors slightly.
 */
final class OnnxEmbedder implements Embedder {
  private static final Logger LOG = LoggerFactory.getLogger(OnnxEmbedder.class);
  private static final String INPUT_IDS = "input_ids";
  private static final String ATTENTION_MASK = "attention_mask";
  private static final String TOKEN_TYPE_IDS = "token_type_ids";
  private static final List<String> TOKEN_OUTPUTS =
      List.of("last_hidden_state", "token_embeddings");
  private static final String SENTENCE_OUTPUT = "sentence_embedding";

  /** Bundled model files extracted from jars, by resource URL: one copy per JVM. */
  private static final Map<String, Path> EXTRACTED = new ConcurrentHashMap<>();

  private final OnnxSettings settings;
  private final WordPieceTokenizer tokenizer;
  private final OrtEnvironment env;
  private final OrtSession.SessionOptions options;
  private final OrtSession session;
  private final boolean feedsMask;
  private final boolean feedsTokenTypes;
  private final String output;
  private final String modelRef;
  private final EmbedderInfo info;
  private final ExecutorService workers;
  private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private final AtomicBoolean closed = new AtomicBoolean();

  private OnnxEmbedder(
      OnnxSettings settings,
      WordPieceTokenizer tokenizer,
      OrtEnvironment env,
      OrtSession.SessionOptions options,
      OrtSession session,
      String output,
      int staticDimension) {
    this.settings = settings;
    this.modelRef = OnnxEmbedderProvider.ID + ":" + settings.model();
    this.tokenizer = tokenizer;
    this.env = env;
    this.options = options;
    this.session = session;
    Set<String> inputs = session.getInputNames();
    this.feedsMask = inputs.contains(ATTENTION_MASK);
    this.feedsTokenTypes = inputs.contains(TOKEN_TYPE_IDS);
    this.output = output;
    int dimension =
        staticDimension > 0
            ? staticDimension
            : runOne(new int[] {0}, List.of("dimension probe")).vectors()[0].length;
    this.info =
        new EmbedderInfo(
            OnnxEmbedderProvider.ID, settings.model(), dimension, 256, settings.maxLength());
    this.workers =
        settings.threads() > 1
            ? Executors.newFixedThreadPool(settings.threads(), new WorkerThreads())
            : null;
  }

  /**
   * Loads the tokenizer and the model and opens an ONNX Runtime session.
   *
   * @param settings the validated options
   * @return the embedder
   * @throws PortfolioException with {@link ErrorCode#PROVIDER_FAILED} when a model file is missing
   *     or cannot be loaded
   */
  static OnnxEmbedder create(OnnxSettings settings) {
    long start = System.nanoTime();
    WordPieceTokenizer tokenizer = loadTokenizer(settings);
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    OrtSession.SessionOptions options = new OrtSession.SessionOptions();
    OrtSession session = null;
    try {
      options.setIntraOpNumThreads(settings.intraOpThreads());
      options.setInterOpNumThreads(1);
      options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
      options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      options.addConfigEntry("session.inter_op.allow_spinning", "0");
      session = openSession(settings, env, options);
      checkInputs(settings, session);
      String output = chooseOutput(session);
      int dimension = staticDimension(session, output);
      OnnxEmbedder embedder =
          new OnnxEmbedder(settings, tokenizer, env, options, session, output, dimension);
      LOG.debug(
          "Loaded onnx model {} ({}-d, {} threads, batch size {}) in {} ms",
          settings.model(),
          embedder.info.dimension(),
          settings.threads(),
          settings.batchSize(),
          (System.nanoTime() - start) / 1_000_000);
      return embedder;
    } catch (OrtException e) {
      closeQuietly(session, options);
      throw new NonRetriableException(
          ErrorCode.PROVIDER_FAILED,
          "ONNX Runtime cannot load model "
              + describeSource(settings)
              + ": "
              + e.getMessage()
              + ". Check that the file is an ONNX sentence-embedding model.",
          e);
    } catch (RuntimeException e) {
      closeQuietly(session, options);
      throw e;
    }
  }

  @Override
  public EmbedderInfo info() {
    return info;
  }

  /**
   * Returns the model's own WordPiece tokenizer as the counter, exact, with {@code maxLength} less
   * the special tokens ({@code [CLS]}, {@code [SEP]}) as the budget: 254 tokens of text for the
   * bundled model's 256.
   */
  @Override
  public dev.portfolio.core.spi.InputTokens inputTokens() {
    return new dev.portfolio.core.spi.InputTokens(
        tokenizer, info.maxInputTokens() - tokenizer.specialTokensPerSequence(), true);
  }

  @Override
  public EmbeddingBatch embed(List<String> texts, InputType type) {
    Inputs.requireNoNullElements("texts", texts);
    Inputs.requireNonNull("type", type);
    if (texts.isEmpty()) {
      return new EmbeddingBatch(List.of(), EmbeddingUsage.NONE);
    }
    lifecycle.readLock().lock();
    try {
      if (closed.get()) {
        throw new NonRetriableException(
            ErrorCode.INVALID_ARGUMENT,
            "The onnx embedder " + info.modelRef() + " is closed; create a new one.");
      }
      List<String> inputs = texts;
      if (type == InputType.QUERY && !settings.queryPrefix().isEmpty()) {
        inputs = texts.stream().map(t -> settings.queryPrefix() + t).toList();
      }
      int[][] runs = planRuns(inputs);
      float[][] vectors = new float[inputs.size()][];
      AtomicLong tokens = new AtomicLong();
      if (workers == null || runs.length == 1) {
        for (int[] run : runs) {
          store(run, runOne(run, inputs), vectors, tokens);
        }
      } else {
        runInParallel(runs, inputs, vectors, tokens);
      }
      List<Embedding> embeddings = new ArrayList<>(vectors.length);
      for (float[] v : vectors) {
        embeddings.add(Embedding.of(v));
      }
      return new EmbeddingBatch(embeddings, new EmbeddingUsage(tokens.get(), 0, 0));
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** Waits for in-flight calls, then releases the native session and the worker threads. */
  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (closed.compareAndSet(false, true)) {
        if (workers != null) {
          workers.shutdownNow();
          // A run cancelled by an interrupted embed() may still be inside the native session:
          // wait for the workers before freeing it.
          try {
            if (!workers.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS)) {
              LOG.warn("ONNX worker threads still running after 30 s; closing the session anyway");
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        closeQuietly(session, options);
      }
    } finally {
      lifecycle.writeLock().unlock();
    }
  }

  @Override
  public String toString() {
    return "OnnxEmbedder[model="
        + info.modelRef()
        + ", dimension="
        + info.dimension()
        + ", threads="
        + settings.threads()
        + ", batchSize="
        + settings.batchSize()
        + ", maxLength="
        + settings.maxLength()
        + "]";
  }

  /** Groups text indices into runs; with batches, texts of similar length run together. */
  private int[][] planRuns(List<String> texts) {
    int n = texts.size();
    int size = settings.batchSize();
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    if (size > 1) {
      Arrays.sort(order, Comparator.comparingInt(i -> texts.get(i).length()));
    }
    int[][] runs = new int[(n + size - 1) / size][];
    for (int r = 0; r < runs.length; r++) {
      int from = r * size;
      int[] run = new int[Math.min(size, n - from)];
      for (int k = 0; k < run.length; k++) {
        run[k] = order[from + k];
      }
      runs[r] = run;
    }
    return runs;
  }

  private void runInParallel(
      int[][] runs, List<String> texts, float[][] vectors, AtomicLong tokens) {
    AtomicInteger next = new AtomicInteger();
    AtomicBoolean failed = new AtomicBoolean();
    int tasks = Math.min(settings.threads(), runs.length);
    List<Future<?>> futures = new ArrayList<>(tasks);
    for (int t = 0; t < tasks; t++) {
      futures.add(
          workers.submit(
              () -> {
                int r;
                while (!failed.get() && (r = next.getAndIncrement()) < runs.length) {
                  try {
                    store(runs[r], runOne(runs[r], texts), vectors, tokens);
                  } catch (RuntimeException e) {
                    failed.set(true);
                    throw e;
                  }
                }
              }));
    }
    try {
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (InterruptedException e) {
      failed.set(true);
      futures.forEach(f -> f.cancel(false));
      Thread.currentThread().interrupt();
      throw new NonRetriableException(
          ErrorCode.CANCELLED,
          "Embedding with " + info.modelRef() + " was interrupted; nothing was returned.",
          e);
    } catch (ExecutionException e) {
      failed.set(true);
      if (e.getCause() instanceof PortfolioException pe) {
        throw pe;
      }
      throw new NonRetriableException(
          ErrorCode.INTERNAL,
          "Embedding with " + info.modelRef() + " failed unexpectedly: " + e.getCause(),
          e.getCause());
    }
  }

  private static void store(int[] run, Run result, float[][] vectors, AtomicLong tokens) {
    for (int k = 0; k < run.length; k++) {
      vectors[run[k]] = result.vectors()[k];
    }
    tokens.addAndGet(result.tokens());
  }

  /** The vectors of one run, in run order, and the tokens it processed. */
  private record Run(float[][] vectors, long tokens) {}

  /** Tokenizes, runs the model and pools one run of texts. */
  private Run runOne(int[] run, List<String> texts) {
    int b = run.length;
    int[][] ids = new int[b][];
    int len = 0;
    long tokens = 0;
    for (int k = 0; k < b; k++) {
      ids[k] = tokenizer.encode(texts.get(run[k]), settings.maxLength());
      len = Math.max(len, ids[k].length);
      tokens += ids[k].length;
    }
    long[] inputIds = new long[b * len];
    long[] mask = new long[b * len];
    for (int k = 0; k < b; k++) {
      for (int j = 0; j < ids[k].length; j++) {
        inputIds[k * len + j] = ids[k][j];
        mask[k * len + j] = 1;
      }
    }
    long[] shape = {b, len};
    Map<String, OnnxTensor> inputs = new HashMap<>();
    try {
      inputs.put(INPUT_IDS, OnnxTensor.createTensor(env, LongBuffer.wrap(inputIds), shape));
      if (feedsMask) {
        inputs.put(ATTENTION_MASK, OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
      }
      if (feedsTokenTypes) {
        inputs.put(
            TOKEN_TYPE_IDS,
            OnnxTensor.createTensor(env, LongBuffer.wrap(new long[b * len]), shape));
      }
      try (OrtSession.Result result = session.run(inputs, Set.of(output))) {
        OnnxValue value = result.get(output).orElseThrow();
        if (!(value instanceof OnnxTensor tensor)) {
          throw invalidOutput("output '" + output + "' is not a tensor");
        }
        long[] outShape = tensor.getInfo().getShape();
        float[][] vectors = pool(tensor.getFloatBuffer(), outShape, ids, len);
        for (int k = 0; k < b; k++) {
          requireFinite(vectors[k], run[k]);
        }
        return new Run(vectors, tokens);
      }
    } catch (OrtException e) {
      throw new NonRetriableException(
          ErrorCode.EMBEDDER_REJECTED,
          "ONNX Runtime failed to run "
              + modelRef
              + " on "
              + b
              + " text(s) of up to "
              + len
              + " tokens: "
              + e.getMessage(),
          e);
    } finally {
      inputs.values().forEach(OnnxTensor::close);
    }
  }

  private float[][] pool(FloatBuffer data, long[] shape, int[][] ids, int len) {
    int b = ids.length;
    if (shape.length == 2) {
      int d = (int) shape[1];
      float[][] out = new float[b][d];
      for (int k = 0; k < b; k++) {
        data.get(k * d, out[k]);
        normalize(out[k]);
      }
      return out;
    }
    if (shape.length != 3 || shape[0] != b || shape[1] != len) {
      throw invalidOutput(
          "output '"
              + output
              + "' has shape "
              + Arrays.toString(shape)
              + ", expected ["
              + b
              + ", "
              + len
              + ", dimension]");
    }
    int d = (int) shape[2];
    float[][] out = new float[b][d];
    double[] sum = new double[d];
    for (int k = 0; k < b; k++) {
      Arrays.fill(sum, 0);
      int tokens = settings.pooling() == OnnxSettings.Pooling.CLS ? 1 : ids[k].length;
      int base = k * len * d;
      for (int j = 0; j < tokens; j++) {
        int row = base + j * d;
        for (int x = 0; x < d; x++) {
          sum[x] += data.get(row + x);
        }
      }
      for (int x = 0; x < d; x++) {
        out[k][x] = (float) (sum[x] / tokens);
      }
      normalize(out[k]);
    }
    return out;
  }

  private void normalize(float[] v) {
    if (!settings.normalize()) {
      return;
    }
    double norm = 0;
    for (float x : v) {
      norm += (double) x * x;
    }
    norm = Math.sqrt(norm);
    if (norm > 0) {
      for (int i = 0; i < v.length; i++) {
        v[i] = (float) (v[i] / norm);
      }
    }
  }

  private void requireFinite(float[] v, int index) {
    for (int i = 0; i < v.length; i++) {
      if (!Float.isFinite(v[i])) {
        throw new NonRetriableException(
            ErrorCode.EMBEDDER_INVALID_RESPONSE,
            modelRef
                + " produced "
                + v[i]
                + " at component "
                + i
                + " of the vector for input "
                + index
                + "; the vector was not returned. The model file may be corrupt.");
      }
    }
  }

  private NonRetriableException invalidOutput(String problem) {
    return new NonRetriableException(
        ErrorCode.EMBEDDER_INVALID_RESPONSE,
        "The onnx model " + modelRef + " is not a sentence-embedding model: " + problem);
  }

  private static WordPieceTokenizer loadTokenizer(OnnxSettings settings) {
    if (settings.bundled() == null) {
      return WordPieceTokenizer.load(settings.tokenizerPath());
    }
    BundledModel model = settings.bundled();
    try (InputStream in = resource(model, model.tokenizerResource()).openStream()) {
      return WordPieceTokenizer.read(in, model.tokenizerResource());
    } catch (IOException e) {
      throw new NonRetriableException(
          ErrorCode.PROVIDER_FAILED,
          "Cannot read the bundled tokenizer " + model.tokenizerResource() + ": " + e.getMessage(),
          e);
    }
  }

  private static OrtSession openSession(
      OnnxSettings settings, OrtEnvironment env, OrtSession.SessionOptions options)
      throws OrtException {
    if (settings.bundled() == null) {
      Path path = settings.modelPath();
      if (!Files.isRegularFile(path)) {
        throw new InvalidInputException(
            "modelPath",
            "onnx option 'modelPath' names "
                + path
                + ", which is not a readable file. Point it at an .onnx model file.");
      }
      return env.createSession(path.toString(), options);
    }
    BundledModel model = settings.bundled();
    URL url = resource(model, model.modelResource());
    if ("file".equals(url.getProtocol())) {
      try {
        return env.createSession(Path.of(url.toURI()).toString(), options);
      } catch (URISyntaxException | IllegalArgumentException e) {
        LOG.debug("Model resource {} is not a plain file; copying it", url, e);
      }
    }
    // Inside a jar: ONNX Runtime reads a file, so the model is copied once per JVM to a temporary
    // file (deleted at exit); it never sits on the Java heap.
    return env.createSession(extracted(model, url).toString(), options);
  }

  private static Path extracted(BundledModel model, URL url) {
    return EXTRACTED.compute(
        url.toString(),
        (key, existing) -> {
          if (existing != null && Files.isRegularFile(existing)) {
            return existing;
          }
          try {
            Path tmp = Files.createTempFile("portfolio-onnx-", ".onnx");
            tmp.toFile().deleteOnExit();
            try (InputStream in = url.openStream()) {
              Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            return tmp;
          } catch (IOException e) {
            throw new NonRetriableException(
                ErrorCode.PROVIDER_FAILED,
                "Cannot extract the bundled model "
                    + model.modelResource()
                    + " to a temporary file: "
                    + e.getMessage()
                    + ". Check that java.io.tmpdir is writable and has 100 MB free.",
                e);
          }
        });
  }

  private static URL resource(BundledModel model, String name) {
    URL url = OnnxEmbedder.class.getClassLoader().getResource(name);
    if (url == null) {
      ClassLoader context = Thread.currentThread().getContextClassLoader();
      url = context == null ? null : context.getResource(name);
    }
    if (url == null) {
      throw new NonRetriableException(
          ErrorCode.PROVIDER_FAILED,
          "The onnx model files for variant '"
              + model.name().toLowerCase(java.util.Locale.ROOT)
              + "' ("
              + name
              + ") are not on the class path. Add the dependency "
              + model.carrierCoordinates()
              + " (it only carries the files; exclude its transitive dependencies), or set"
              + " modelPath and tokenizerPath.");
    }
    return url;
  }

  private static void checkInputs(OnnxSettings settings, OrtSession session) {
    Set<String> names = session.getInputNames();
    Set<String> known = Set.of(INPUT_IDS, ATTENTION_MASK, TOKEN_TYPE_IDS);
    if (!names.contains(INPUT_IDS) || !known.containsAll(names)) {
      throw new NonRetriableException(
          ErrorCode.PROVIDER_FAILED,
          "The onnx model "
              + describeSource(settings)
              + " takes inputs "
              + names
              + "; the onnx embedder feeds input_ids, attention_mask and token_type_ids only."
              + " Export the model with those inputs.");
    }
  }

  private static String chooseOutput(OrtSession session) {
    Set<String> names = session.getOutputNames();
    for (String name : TOKEN_OUTPUTS) {
      if (names.contains(name)) {
        return name;
      }
    }
    if (names.contains(SENTENCE_OUTPUT)) {
      return SENTENCE_OUTPUT;
    }
    return names.iterator().next();
  }

  private static int staticDimension(OrtSession session, String output) throws OrtException {
    NodeInfo node = session.getOutputInfo().get(output);
    if (node != null && node.getInfo() instanceof TensorInfo tensor) {
      long[] shape = tensor.getShape();
      long last = shape.length == 0 ? -1 : shape[shape.length - 1];
      return last > 0 && last <= Inputs.MAX_DIMENSION ? (int) last : -1;
    }
    return -1;
  }

  private static String describeSource(OnnxSettings settings) {
    return settings.bundled() == null
        ? settings.modelPath().toString()
        : settings.bundled().modelResource();
  }

  private static void closeQuietly(OrtSession session, OrtSession.SessionOptions options) {
    if (session != null) {
      try {
        session.close();
      } catch (OrtException e) {
        LOG.debug("Closing the ONNX Runtime session failed", e);
      }
    }
    options.close();
  }

  /** Names the worker threads and keeps them from holding the JVM open. */
  private static final class WorkerThreads implements ThreadFactory {
    private final AtomicInteger count = new AtomicInteger();

    @Override
    public Thread newThread(Runnable r) {
      Thread t = new Thread(r, "portfolio-onnx-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    }
  }
}
