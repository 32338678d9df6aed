import GRDB

/// The store's history as a list of migrations. Never edit a migration that has shipped:
/// append a new one.
enum Schema {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1: samples, judges, verdicts, decisions, comments, assignments") { db in
            try db.execute(sql: """
            CREATE TABLE contexts (
                id INTEGER PRIMARY KEY,
                hash TEXT NOT NULL UNIQUE,          -- SHA-256 of the canonical user JSON
                user_id TEXT NOT NULL,
                json TEXT NOT NULL
            );
            CREATE INDEX contexts_user ON contexts(user_id);

            CREATE TABLE samples (
                pk INTEGER PRIMARY KEY,
                id TEXT NOT NULL UNIQUE,
                task TEXT NOT NULL,
                context_id INTEGER NOT NULL REFERENCES contexts(id),
                user_id TEXT NOT NULL,
                body TEXT NOT NULL,                  -- canonical JSON: task, item, output, model, round, extra
                content_hash TEXT NOT NULL,
                model TEXT,
                round INTEGER,
                source TEXT NOT NULL,                -- file:line it was imported from
                imported_at REAL NOT NULL
            );
            CREATE INDEX samples_task ON samples(task, pk);
            CREATE INDEX samples_user ON samples(user_id);

            CREATE TABLE judge_versions (
                id INTEGER PRIMARY KEY,
                judge TEXT NOT NULL,                 -- the name in session.yaml
                version TEXT NOT NULL UNIQUE,        -- hash of kind, model, prompt, rubric version, parameters
                kind TEXT NOT NULL,
                model TEXT,
                task TEXT NOT NULL,
                rubric_version INTEGER NOT NULL,
                params TEXT NOT NULL,
                created_at REAL NOT NULL
            );

            CREATE TABLE judge_calls (
                id INTEGER PRIMARY KEY,
                sample_pk INTEGER NOT NULL REFERENCES samples(pk),
                judge_version_id INTEGER NOT NULL REFERENCES judge_versions(id),
                ok INTEGER NOT NULL,
                error TEXT,
                raw TEXT,
                latency_ms REAL,
                prompt_tokens INTEGER,
                completion_tokens INTEGER,
                attempts INTEGER NOT NULL DEFAULT 1,
                created_at REAL NOT NULL
            );
            CREATE INDEX judge_calls_sample ON judge_calls(sample_pk, judge_version_id);

            CREATE TABLE verdicts (
                sample_pk INTEGER NOT NULL REFERENCES samples(pk),
                judge_version_id INTEGER NOT NULL REFERENCES judge_versions(id),
                dimension TEXT NOT NULL,
                label TEXT,                          -- NULL: the verdict failed (see failure)
                rationale TEXT NOT NULL DEFAULT '',
                confidence REAL,
                failure TEXT,
                call_id INTEGER REFERENCES judge_calls(id),
                created_at REAL NOT NULL,
                PRIMARY KEY (sample_pk, judge_version_id, dimension)
            ) WITHOUT ROWID;
            CREATE INDEX verdicts_version ON verdicts(judge_version_id, dimension, label);

            -- The append-only log of human decisions; current state is derived from it.
            CREATE TABLE decisions (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                sample_pk INTEGER NOT NULL REFERENCES samples(pk),
                dimension TEXT NOT NULL,
                annotator TEXT NOT NULL,
                role TEXT NOT NULL CHECK (role IN ('annotator', 'lead')),
                label TEXT,                          -- NULL: the annotator's answer was withdrawn (undo)
                action TEXT NOT NULL CHECK (action IN ('accept', 'override', 'label', 'adjudicate', 'undo', 'redo', 'import')),
                judge_label TEXT,                    -- what the judge had said, as shown
                judge_version_id INTEGER REFERENCES judge_versions(id),
                comment TEXT,
                rubric_version INTEGER NOT NULL,
                created_at REAL NOT NULL,
                import_key TEXT UNIQUE               -- for --labels imports: re-importing changes nothing
            );
            CREATE INDEX decisions_item ON decisions(sample_pk, dimension, annotator, id);
            CREATE INDEX decisions_annotator ON decisions(annotator, id);

            CREATE TABLE comments (
                id INTEGER PRIMARY KEY,
                sample_pk INTEGER NOT NULL REFERENCES samples(pk),
                dimension TEXT,
                annotator TEXT NOT NULL,
                text TEXT NOT NULL,
                created_at REAL NOT NULL
            );
            CREATE INDEX comments_sample ON comments(sample_pk);

            CREATE TABLE assignments (
                sample_pk INTEGER NOT NULL REFERENCES samples(pk),
                annotator TEXT NOT NULL,
                claimed_at REAL NOT NULL,
                lease_until REAL NOT NULL,
                done_at REAL,
                PRIMARY KEY (sample_pk, annotator)
            ) WITHOUT ROWID;
            CREATE INDEX assignments_annotator ON assignments(annotator, done_at);

            CREATE TABLE imports (
                id INTEGER PRIMARY KEY,
                kind TEXT NOT NULL,
                file TEXT NOT NULL,
                added INTEGER NOT NULL,
                unchanged INTEGER NOT NULL,
                rejected INTEGER NOT NULL,
                created_at REAL NOT NULL
            );
            """)
        }
        m.registerMigration("v2: exports and the rows each one took") { db in
            try db.execute(sql: """
            CREATE TABLE exports (
                id INTEGER PRIMARY KEY,
                kind TEXT NOT NULL,                  -- generator-sft, judge-sft, preference
                out TEXT NOT NULL,                   -- the folder written
                manifest TEXT NOT NULL,              -- manifest.json as written
                command TEXT NOT NULL,
                created_at REAL NOT NULL
            );
            CREATE TABLE export_rows (
                export_id INTEGER NOT NULL REFERENCES exports(id),
                sample_pk INTEGER NOT NULL REFERENCES samples(pk),
                split TEXT NOT NULL,                 -- train, dev, test
                labels TEXT NOT NULL,                -- JSON: dimension → final label and its source
                PRIMARY KEY (export_id, sample_pk)
            ) WITHOUT ROWID;
            CREATE INDEX export_rows_sample ON export_rows(sample_pk);
            CREATE INDEX assignments_open_leases ON assignments(lease_until) WHERE done_at IS NULL;
            """)
        }
        m.registerMigration("v3: work queues (a cursor per task, samples still short of annotators)") { db in
            try db.execute(sql: """
            -- Samples of a task from next_pk on were never handed out to anyone.
            CREATE TABLE queue_cursors (
                task TEXT PRIMARY KEY,
                next_pk INTEGER NOT NULL
            ) WITHOUT ROWID;
            -- Samples handed out that still need more annotators (the overlap share).
            CREATE TABLE queue_open (
                sample_pk INTEGER PRIMARY KEY REFERENCES samples(pk),
                task TEXT NOT NULL,
                remaining INTEGER NOT NULL
            );
            CREATE INDEX queue_open_task ON queue_open(task, sample_pk);
            """)
        }
        m.registerMigration("v4: export rows kept in export order only") { db in
            // Every read of export rows goes through one export's key range; keeping a second
            // index by sample made recording a million rows take twice as long.
            try db.execute(sql: "DROP INDEX export_rows_sample")
        }
        m.registerMigration("v5: export rows name their labels by a set number") { db in
            // Most rows of an export share one of a few label sets: kept once per export, they
            // no longer make recording a million rows write a hundred megabytes of the same JSON.
            // A preference pair's row names its partner, so its labels are its own: kept inline.
            try db.execute(sql: """
            CREATE TABLE export_label_sets (
                export_id INTEGER NOT NULL REFERENCES exports(id),
                id INTEGER NOT NULL,                 -- numbered within the export, from 0
                labels TEXT NOT NULL,                -- JSON: dimension → final label and its source
                PRIMARY KEY (export_id, id)
            ) WITHOUT ROWID;
            CREATE TABLE export_rows_v5 (
                export_id INTEGER NOT NULL REFERENCES exports(id),
                sample_pk INTEGER NOT NULL REFERENCES samples(pk),
                split TEXT NOT NULL,                 -- train, dev, test
                label_set INTEGER,                   -- export_label_sets.id within the export, or
                labels TEXT,                         -- the row's own labels (a pair's, with "$pair")
                CHECK ((label_set IS NULL) != (labels IS NULL)),
                PRIMARY KEY (export_id, sample_pk)
            ) WITHOUT ROWID;
            INSERT INTO export_label_sets (export_id, id, labels)
                SELECT export_id, row_number() OVER (PARTITION BY export_id ORDER BY labels) - 1, labels
                FROM (SELECT DISTINCT export_id, labels FROM export_rows WHERE labels NOT LIKE '{"$pair"%');
            CREATE INDEX export_label_sets_text ON export_label_sets(export_id, labels);
            INSERT INTO export_rows_v5 (export_id, sample_pk, split, label_set, labels)
                SELECT r.export_id, r.sample_pk, r.split, l.id, CASE WHEN l.id IS NULL THEN r.labels END
                FROM export_rows r LEFT JOIN export_label_sets l
                    ON l.export_id = r.export_id AND l.labels = r.labels AND r.labels NOT LIKE '{"$pair"%';
            DROP INDEX export_label_sets_text;
            DROP TABLE export_rows;
            ALTER TABLE export_rows_v5 RENAME TO export_rows;
            """)
        }
        m.registerMigration("v6: a preference pair's rows name their side and partner by key") { db in
            // A pair's row kept its own labels text, naming its partner: 676k rows of a
            // preference export wrote ~100 MB of text and took twice as long to record as label
            // sets. Now its labels are a label set, and the pair is two small columns. Rows of
            // earlier exports move over; one whose partner is not a sample (a store edited by
            // hand) keeps its own text.
            try db.execute(sql: """
            ALTER TABLE export_rows ADD COLUMN pair_role TEXT;     -- chosen or rejected: a preference pair's side
            ALTER TABLE export_rows ADD COLUMN pair_with INTEGER;  -- the other side's sample key
            CREATE TEMP TABLE pair_rows AS
                SELECT r.export_id, r.sample_pk, json_extract(r.labels, '$."$pair"[0]') AS role, p.pk AS partner,
                       json_remove(r.labels, '$."$pair"') AS rest
                FROM export_rows r JOIN samples p ON p.id = json_extract(r.labels, '$."$pair"[1]')
                WHERE r.labels LIKE '{"$pair"%' AND json_valid(r.labels)
                    AND json_extract(r.labels, '$."$pair"[0]') IN ('chosen', 'rejected');
            CREATE INDEX export_label_sets_text ON export_label_sets(export_id, labels);
            INSERT INTO export_label_sets (export_id, id, labels)
                SELECT d.export_id,
                       coalesce((SELECT max(s.id) FROM export_label_sets s WHERE s.export_id = d.export_id), -1)
                           + row_number() OVER (PARTITION BY d.export_id ORDER BY d.rest),
                       d.rest
                FROM (SELECT DISTINCT p.export_id, p.rest FROM pair_rows p
                      WHERE NOT EXISTS (SELECT 1 FROM export_label_sets s WHERE s.export_id = p.export_id AND s.labels = p.rest)) d;
            UPDATE export_rows AS r SET label_set = s.id, labels = NULL, pair_role = p.role, pair_with = p.partner
                FROM temp.pair_rows p JOIN export_label_sets s ON s.export_id = p.export_id AND s.labels = p.rest
                WHERE r.export_id = p.export_id AND r.sample_pk = p.sample_pk;
            DROP INDEX export_label_sets_text;
            DROP TABLE temp.pair_rows;
            """)
        }
        return m
    }
}
