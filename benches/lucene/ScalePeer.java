// Lucene side-by-side latency peer for the scale benchmark (benches/scale.rs): the same
// query classes, timed against Apache Lucene (9.9.1, from the anserini fat jar) with the
// analysis of /work/shared/eval/LucenePeer.java, config swedish_decompound (StandardTokenizer,
// LowerCase, Swedish stop set, DictionaryCompoundWordTokenFilter over the hunspell-sv words,
// Snowball Swedish), the same fields, the same MultiFieldQueryParser boosts, the same escaping
// and the same filters. BM25, single-threaded search, no query-time tricks: what a default
// Lucene user gets.
//
// usage (normally through benches/lucene/run, which finds the JDK and the jar):
//   java -cp lucene.jar:. ScalePeer CORPUS.jsonl QUERIES.jsonl INDEX_DIR [runs] [options]
//     CORPUS.jsonl   Document JSON v1, one object per line (only read when a new index is built)
//     QUERIES.jsonl  one query per line: {"class": "...", "query": "...",
//                    "filters": {"kommun_kod": "...", "kind": "...", "organ": "...",
//                                "from": "YYYY-MM-DD", "to": "YYYY-MM-DD"}, "sort": "date_desc"}
//                    (filters, each filter and sort are optional; see benches/lucene/queries.jsonl)
//     INDEX_DIR      on-disk index (FSDirectory, i.e. MMapDirectory on 64-bit). Like
//                    benches/scale.rs, an existing index there is REUSED (no import, the corpus is
//                    not read); --reindex deletes and rebuilds it.
//     runs           timed repetitions per query (default 30)
//   options:
//     --json               also print one JSON object per class
//     --exact              also time each query with exact hit counting (totalHitsThreshold =
//                          Integer.MAX_VALUE; columns p50_exact_us/p99_exact_us/hits_exact). By
//                          default Lucene stops counting at 1000 hits and skips non-competitive
//                          documents (block-max WAND), so `hits` is then a lower bound
//                          (hits_lower_bound=yes); the project counts every hit.
//     --reindex            rebuild the index even if INDEX_DIR already holds one
//     --index-threads N    indexing threads (default min(cores, 8), as tantivy's writer)
//     --warmup N           untimed searches per query before timing (default 5)
//     --hunspell DIR       directory of sv_SE.dic (default /usr/share/hunspell)
//
// Output: an import line (wall seconds, docs/s, on-disk index size), then per class
//   class=<name> p50_us=<n> p99_us=<n> max_us=<n> hits=<avg totalHits.value> hits_lower_bound=yes|no
// (percentiles by nearest rank over all runs of all queries of the class, as benches/scale.rs).
// Timed is searcher.search(query, 10) only (query parsing, stored fields and snippets are not);
// sort=date_desc searches with a Sort on a numeric date field (LongPoint + NumericDocValuesField,
// yyyymmdd, so Lucene can also skip with points); documents without a date get 0 (sort last).
//
// Facets: NOT measured. The anserini-1.7.1 fat jar does not contain Lucene's facet module
// (`jar tf` lists no org/apache/lucene/facet/ classes: no SortedSetDocValuesFacetCounts,
// FacetsCollectorManager or FacetsConfig), so the facet-counting variant (kommun_kod, kind,
// organ, year with p50_facets_us/p99_facets_us) is skipped. The project's timings include facets,
// snippets and stored documents; these Lucene figures are for the search alone.
//
// Note on the typo class: plain query parsing, no fuzzy (~) queries, which is what a default
// Lucene user gets; the analyzer does no ASCII folding either (the ascii class).
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;
import java.util.concurrent.*;
import java.util.concurrent.atomic.*;
import org.apache.lucene.analysis.*;
import org.apache.lucene.analysis.compound.DictionaryCompoundWordTokenFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.apache.lucene.analysis.standard.StandardTokenizer;
import org.apache.lucene.analysis.sv.SwedishAnalyzer;
import org.apache.lucene.document.*;
import org.apache.lucene.index.*;
import org.apache.lucene.queryparser.classic.MultiFieldQueryParser;
import org.apache.lucene.search.*;
import org.apache.lucene.store.*;
import org.tartarus.snowball.ext.SwedishStemmer;

public class ScalePeer {
  static final ObjectMapper M = new ObjectMapper();

  // swedish_decompound of LucenePeer.java, unchanged.
  static Analyzer analyzer(String hunspellDir) throws Exception {
    CharArraySet stop = SwedishAnalyzer.getDefaultStopSet();
    CharArraySet dict = new CharArraySet(200000, true);
    for (String line : Files.readAllLines(Paths.get(hunspellDir, "sv_SE.dic"), StandardCharsets.UTF_8)) {
      String w = line.split("/", 2)[0].trim().toLowerCase(Locale.ROOT);
      if (w.length() >= 4 && w.chars().allMatch(Character::isLetter)) dict.add(w);
    }
    return new Analyzer() {
      protected TokenStreamComponents createComponents(String f) {
        Tokenizer t = new StandardTokenizer();
        TokenStream s = new LowerCaseFilter(t);
        s = new StopFilter(s, stop);
        s = new DictionaryCompoundWordTokenFilter(s, dict, 5, 4, 15, false);
        s = new SnowballFilter(s, new SwedishStemmer());
        return new TokenStreamComponents(t, s);
      }
      protected TokenStream normalize(String f, TokenStream in) { return new LowerCaseFilter(in); }
    };
  }

  static String text(JsonNode n, String f) { JsonNode v = n.get(f); return v == null || v.isNull() ? "" : v.asText(); }

  // Escape Lucene syntax except double quotes, so phrases still work and "KS 2023/412" does not become a regex.
  static String escape(String q) {
    StringBuilder b = new StringBuilder();
    for (char c : q.toCharArray()) {
      if ("\\+-!():^[]{}~*?|&/".indexOf(c) >= 0) b.append('\\');
      b.append(c);
    }
    return b.toString();
  }

  // "YYYY-MM-DD" -> yyyymmdd, 0 when missing or malformed.
  static long dateNum(String d) {
    if (d.length() < 10 || d.charAt(4) != '-' || d.charAt(7) != '-') return 0;
    try {
      return Long.parseLong(d.substring(0, 4)) * 10000 + Long.parseLong(d.substring(5, 7)) * 100 + Long.parseLong(d.substring(8, 10));
    } catch (NumberFormatException e) { return 0; }
  }

  // The fields of LucenePeer.java, plus the numeric date for sorting.
  static Document document(JsonNode d) {
    Document doc = new Document();
    doc.add(new StringField("id", text(d, "id"), Field.Store.YES));
    doc.add(new StringField("kind", text(d, "kind"), Field.Store.NO));
    doc.add(new StringField("kommun_kod", text(d, "kommun_kod"), Field.Store.NO));
    doc.add(new StringField("date", text(d, "date"), Field.Store.NO));
    long dn = dateNum(text(d, "date"));
    doc.add(new LongPoint("date_num", dn));
    doc.add(new NumericDocValuesField("date_num", dn));
    doc.add(new TextField("title", text(d, "title"), Field.Store.NO));
    doc.add(new TextField("body", text(d, "body"), Field.Store.NO));
    doc.add(new TextField("organ", text(d, "organ"), Field.Store.NO));
    doc.add(new StringField("organ_exact", text(d, "organ"), Field.Store.NO));
    doc.add(new TextField("kommun", text(d, "kommun"), Field.Store.NO));
    doc.add(new TextField("diarienummer", text(d, "diarienummer"), Field.Store.NO));
    return doc;
  }

  static long dirSize(Path p) throws IOException {
    long total = 0;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) {
      for (Path f : ds) if (Files.isRegularFile(f)) total += Files.size(f);
    }
    return total;
  }

  static final List<String> EOF = new ArrayList<>();

  // Reader thread -> batches of lines -> N threads that parse and add (IndexWriter is thread-safe).
  static void buildIndex(Directory dir, Path indexPath, Analyzer an, Path corpus, int threads) throws Exception {
    IndexWriterConfig cfg = new IndexWriterConfig(an).setOpenMode(IndexWriterConfig.OpenMode.CREATE).setRAMBufferSizeMB(256);
    AtomicLong added = new AtomicLong(), rejected = new AtomicLong();
    AtomicReference<Throwable> failure = new AtomicReference<>();
    long t0 = System.nanoTime();
    try (IndexWriter w = new IndexWriter(dir, cfg)) {
      BlockingQueue<List<String>> queue = new ArrayBlockingQueue<>(threads * 4);
      List<Thread> workers = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        Thread t = new Thread(() -> {
          try {
            for (List<String> batch; (batch = queue.take()) != EOF; ) {
              for (String line : batch) {
                Document doc;
                try { doc = document(M.readTree(line)); } catch (IOException e) { rejected.incrementAndGet(); continue; }
                w.addDocument(doc);
                added.incrementAndGet();
              }
            }
          } catch (Throwable e) { failure.compareAndSet(null, e); }
        }, "index-" + i);
        t.start();
        workers.add(t);
      }
      try (BufferedReader r = new BufferedReader(new InputStreamReader(Files.newInputStream(corpus), StandardCharsets.UTF_8), 1 << 20)) {
        List<String> batch = new ArrayList<>(256);
        for (String line; (line = r.readLine()) != null && failure.get() == null; ) {
          if (line.isBlank()) continue;
          batch.add(line);
          if (batch.size() == 256) { queue.put(batch); batch = new ArrayList<>(256); }
        }
        if (!batch.isEmpty()) queue.put(batch);
      } finally {
        for (int i = 0; i < threads; i++) queue.put(EOF);
        for (Thread t : workers) t.join();
      }
      if (failure.get() != null) throw new RuntimeException("indexing failed", failure.get());
      w.commit();
    }
    double secs = (System.nanoTime() - t0) / 1e9;
    long size = dirSize(indexPath);
    System.out.printf(Locale.ROOT, "import: %d documents in %.1f s = %.0f docs/s (%d threads), %d rejected; index %.1f MB = %.0f bytes/doc%n",
        added.get(), secs, added.get() / secs, threads, rejected.get(), size / 1e6, (double) size / Math.max(1, added.get()));
  }

  static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) return 0;
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(1, Math.min(sorted.length, rank)) - 1];
  }

  record Q(String cls, String text, Query query, Sort sort) {}

  // One timed search; returns {nanos, totalHits.value, 1 if the count is a lower bound}.
  static long[] timed(IndexSearcher s, Q q, boolean exact) throws IOException {
    long t = System.nanoTime();
    TopDocs top;
    if (!exact) top = q.sort == null ? s.search(q.query, 10) : s.search(q.query, 10, q.sort);
    else top = q.sort == null
        ? s.search(q.query, TopScoreDocCollector.createSharedManager(10, null, Integer.MAX_VALUE))
        : s.search(q.query, TopFieldCollector.createSharedManager(q.sort, 10, null, Integer.MAX_VALUE));
    long nanos = System.nanoTime() - t;
    return new long[] {nanos, top.totalHits.value, top.totalHits.relation == TotalHits.Relation.EQUAL_TO ? 0 : 1};
  }

  public static void main(String[] argv) throws Exception {
    List<String> pos = new ArrayList<>();
    boolean json = false, exact = false, reindex = false;
    int threads = Math.min(Runtime.getRuntime().availableProcessors(), 8), warmup = 5;
    String hunspellDir = "/usr/share/hunspell";
    for (int i = 0; i < argv.length; i++) {
      switch (argv[i]) {
        case "--json" -> json = true;
        case "--exact" -> exact = true;
        case "--reindex" -> reindex = true;
        case "--index-threads" -> threads = Integer.parseInt(argv[++i]);
        case "--warmup" -> warmup = Integer.parseInt(argv[++i]);
        case "--hunspell" -> hunspellDir = argv[++i];
        default -> pos.add(argv[i]);
      }
    }
    if (pos.size() < 3 || pos.size() > 4) {
      System.err.println("usage: ScalePeer CORPUS.jsonl QUERIES.jsonl INDEX_DIR [runs] [--json] [--exact] [--reindex] [--index-threads N] [--warmup N] [--hunspell DIR]");
      System.exit(2);
    }
    Path corpus = Paths.get(pos.get(0)), queriesPath = Paths.get(pos.get(1)), indexPath = Paths.get(pos.get(2));
    int runs = pos.size() > 3 ? Integer.parseInt(pos.get(3)) : 30;

    Analyzer an = analyzer(hunspellDir);
    Files.createDirectories(indexPath);
    try (Directory dir = FSDirectory.open(indexPath)) {
      if (!reindex && DirectoryReader.indexExists(dir)) {
        System.out.printf(Locale.ROOT, "import: reusing the existing index in %s (%.1f MB; corpus not read, --reindex rebuilds)%n", indexPath, dirSize(indexPath) / 1e6);
      } else {
        buildIndex(dir, indexPath, an, corpus, threads);
      }
      try (DirectoryReader reader = DirectoryReader.open(dir)) {
        IndexSearcher s = new IndexSearcher(reader); // no executor: single-threaded search
        int docs = reader.numDocs();
        System.out.printf(Locale.ROOT, "documents: %d segments: %d directory: %s lucene: %s java: %s%n",
            docs, reader.leaves().size(), dir.getClass().getSimpleName(), org.apache.lucene.util.Version.LATEST, Runtime.version());

        Map<String, Float> boosts = Map.of("title", 2f, "body", 1f, "organ", 0.5f, "kommun", 1f, "diarienummer", 3f);
        MultiFieldQueryParser qp = new MultiFieldQueryParser(boosts.keySet().toArray(new String[0]), an, boosts);
        Sort byDateDesc = new Sort(new SortField("date_num", SortField.Type.LONG, true));

        List<Q> queries = new ArrayList<>();
        for (String line : Files.readAllLines(queriesPath, StandardCharsets.UTF_8)) {
          if (line.isBlank()) continue;
          JsonNode q = M.readTree(line);
          Query parsed;
          try { parsed = qp.parse(escape(text(q, "query"))); } catch (Exception e) {
            System.err.println("unparsable query, matching nothing: " + text(q, "query") + " (" + e.getMessage() + ")");
            parsed = new MatchNoDocsQuery();
          }
          BooleanQuery.Builder bq = new BooleanQuery.Builder().add(parsed, BooleanClause.Occur.MUST);
          JsonNode f = q.get("filters");
          if (f != null) {
            if (f.has("kommun_kod")) bq.add(new TermQuery(new Term("kommun_kod", f.get("kommun_kod").asText())), BooleanClause.Occur.FILTER);
            if (f.has("kind")) bq.add(new TermQuery(new Term("kind", f.get("kind").asText())), BooleanClause.Occur.FILTER);
            if (f.has("organ")) bq.add(new TermQuery(new Term("organ_exact", f.get("organ").asText())), BooleanClause.Occur.FILTER);
            if (f.has("from") || f.has("to"))
              bq.add(TermRangeQuery.newStringRange("date", f.has("from") ? f.get("from").asText() : null, f.has("to") ? f.get("to").asText() : null, true, true), BooleanClause.Occur.FILTER);
          }
          String sort = text(q, "sort");
          if (!sort.isEmpty() && !sort.equals("date_desc") && !sort.equals("relevance")) throw new IllegalArgumentException("unknown sort " + sort);
          queries.add(new Q(text(q, "class"), text(q, "query"), bq.build(), sort.equals("date_desc") ? byDateDesc : null));
        }

        // Warm-up: every query a few times (page cache, JIT, Lucene's query cache policy).
        for (int i = 0; i < warmup; i++) for (Q q : queries) { timed(s, q, false); if (exact) timed(s, q, true); }

        Map<String, List<Q>> classes = new LinkedHashMap<>();
        for (Q q : queries) classes.computeIfAbsent(q.cls, k -> new ArrayList<>()).add(q);
        for (Map.Entry<String, List<Q>> e : classes.entrySet()) {
          int n = e.getValue().size() * runs;
          long[] lat = new long[n], latExact = new long[n];
          long hits = 0, hitsExact = 0;
          boolean lowerBound = false;
          int k = 0;
          for (Q q : e.getValue()) {
            for (int i = 0; i < runs; i++, k++) {
              long[] r = timed(s, q, false);
              lat[k] = r[0]; hits += r[1]; lowerBound |= r[2] == 1;
              if (exact) { long[] x = timed(s, q, true); latExact[k] = x[0]; hitsExact += x[1]; }
            }
          }
          Arrays.sort(lat);
          Arrays.sort(latExact);
          long p50 = percentile(lat, 50) / 1000, p99 = percentile(lat, 99) / 1000, max = percentile(lat, 100) / 1000;
          long avgHits = hits / Math.max(1, n);
          StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "class=%s p50_us=%d p99_us=%d max_us=%d hits=%d hits_lower_bound=%s",
              e.getKey(), p50, p99, max, avgHits, lowerBound ? "yes" : "no"));
          StringBuilder js = new StringBuilder(String.format(Locale.ROOT,
              "{\"engine\":\"lucene\",\"lucene\":\"%s\",\"analyzer\":\"swedish_decompound\",\"class\":\"%s\",\"docs\":%d,\"runs\":%d,\"p50_us\":%d,\"p99_us\":%d,\"max_us\":%d,\"hits\":%d,\"hits_lower_bound\":%s",
              org.apache.lucene.util.Version.LATEST, e.getKey(), docs, runs, p50, p99, max, avgHits, lowerBound));
          if (exact) {
            long p50x = percentile(latExact, 50) / 1000, p99x = percentile(latExact, 99) / 1000;
            line.append(String.format(Locale.ROOT, " p50_exact_us=%d p99_exact_us=%d hits_exact=%d", p50x, p99x, hitsExact / Math.max(1, n)));
            js.append(String.format(Locale.ROOT, ",\"p50_exact_us\":%d,\"p99_exact_us\":%d,\"hits_exact\":%d", p50x, p99x, hitsExact / Math.max(1, n)));
          }
          System.out.println(line);
          if (json) System.out.println(js.append('}'));
        }
      }
    }
  }
}
