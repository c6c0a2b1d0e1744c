package dev.portfolio.maintenance.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.portfolio.core.model.CollectionInfo;
import dev.portfolio.core.model.Distance;
import dev.portfolio.maintenance.cli.JarProcess.Result;
import dev.portfolio.maintenance.testing.Corpus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The built {@code portfolio} jar run as a separate process against PostgreSQL: {@code collections
 * migrate | verify | rollback} of a plan file, from a dry run to the rollback of a run.
 */
class DomainCommandsIT extends JarCliFixture {
  private static Path plan(Path dir, String name, int codeDimension) throws Exception {
    Path file = dir.resolve(name);
    Files.writeString(
        file,
        """
        {
          "pattern": "kb_{sanitized_source_title}_{type}",
          "sources": [
            {"id": "wiki-eng", "title": "Engineering Wiki"},
            {"id": "tokyo", "title": "東京 Office"}
          ],
          "types": [
            {"name": "docs", "model": "hashing:hashing-v1", "dimension": 8},
            {"name": "code", "model": "hashing:code-v1", "dimension": %d, "distance": "l2"}
          ]
        }
        """
            .formatted(codeDimension));
    return file;
  }

  @Test
  void aPlanIsDryRunMigratedVerifiedAndRolledBackThroughTheJar(@TempDir Path dir) throws Exception {
    Path plan = plan(dir, "plan.json", 16);
    String tokyo = "kb_office_" + dev.portfolio.maintenance.domains.DomainNames.hash("東京 Office");
    List<String> names =
        List.of(
            "kb_engineering_wiki_docs",
            "kb_engineering_wiki_code",
            tokyo + "_docs",
            tokyo + "_code");

    Result dry = run("collections", "migrate", "--plan", plan.toString(), "--dry-run");
    assertThat(dry.exitCode()).as(dry.toString()).isZero();
    assertThat(dry.out())
        .startsWith("NAME")
        .contains("kb_engineering_wiki_docs", tokyo + "_code", "would-create")
        .contains(
            "migrate-domains [dry run]: 4 expected, 4 to create, 0 already existed, 0 failed");
    assertThat(store.listCollections()).isEmpty();

    Result missing = run("collections", "verify", "--plan", plan.toString());
    assertThat(missing.exitCode()).as(missing.toString()).isEqualTo(ExitCodes.FAILURE);
    assertThat(missing.out()).contains("verify-domains: 4 expected, 0 ok, 4 missing, 0 mismatched");
    assertThat(missing.err()).contains("portfolio collections migrate --plan");

    Result first = run("collections", "migrate", "--plan", plan.toString(), "--json");
    JsonNode created = json(first);
    assertThat(created.get("created").asInt()).isEqualTo(4);
    assertThat(created.get("failed").asInt()).isZero();
    List<String> createdNames = new java.util.ArrayList<>();
    created.get("createdCollections").forEach(n -> createdNames.add(n.asText()));
    assertThat(createdNames).containsExactlyElementsOf(names);
    assertThat(created.get("collections").get(1).get("distance").asText()).isEqualTo("l2");
    Path runFile = dir.resolve("run.json");
    Files.writeString(runFile, first.out());
    CollectionInfo code = store.findCollection("kb_engineering_wiki_code").orElseThrow();
    assertThat(code.dimension()).isEqualTo(16);
    assertThat(code.distance()).isEqualTo(Distance.L2);

    JsonNode verified = json(run("collections", "verify", "--plan", plan.toString(), "--json"));
    assertThat(verified.get("ok").asBoolean()).isTrue();
    assertThat(verified.get("present").asInt()).isEqualTo(4);

    Path other = plan(dir, "other.json", 32);
    Result mismatch = run("collections", "migrate", "--plan", other.toString());
    assertThat(mismatch.exitCode()).as(mismatch.toString()).isEqualTo(ExitCodes.FAILURE);
    assertThat(mismatch.out())
        .contains("exists with 16 dimensions (plan: 32); it was left unchanged")
        .contains("0 created, 2 already existed, 2 failed");
    assertThat(mismatch.err()).contains("2 collection(s) failed");
    assertThat(store.findCollection("kb_engineering_wiki_code").orElseThrow().dimension())
        .isEqualTo(16);

    store.upsert("kb_engineering_wiki_docs", Corpus.documents("doc-", 1, 1));
    JsonNode rolled =
        json(
            run(
                "collections",
                "rollback",
                "--plan",
                plan.toString(),
                "--created",
                runFile.toString(),
                "--yes",
                "--json"));
    assertThat(rolled.get("dropped").asInt()).isEqualTo(3);
    assertThat(rolled.get("kept").asInt()).isEqualTo(1);
    assertThat(store.listCollections())
        .extracting(CollectionInfo::name)
        .containsExactly("kb_engineering_wiki_docs");
  }
}
