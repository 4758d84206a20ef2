-- An audit log written by skilltwin at schema version 2 (before the keyed chain, issue #21), as SQL.
-- Pseudonym key: v2-format-key-0123456789abcdef-0123
BEGIN TRANSACTION;
CREATE TABLE entries (
        seq INTEGER PRIMARY KEY,
        entry_id TEXT NOT NULL,
        timestamp TEXT NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        inputs_hash TEXT,
        library_version TEXT NOT NULL,
        taxonomy_release TEXT,
        model_name TEXT,
        payload_hash TEXT,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL,
        key_id TEXT
    );
INSERT INTO "entries" VALUES(1,'b9599377-56e3-4caa-9bc5-fcbb83d941c5','2026-12-03T12:36:35.004875+00:00','system','note',NULL,'0.1.0',NULL,NULL,NULL,'0000000000000000000000000000000000000000000000000000000000000000','3b76760b2575bcfff08d48b0618275c7b996fb53bc473709ed084875655de7d0',NULL);
INSERT INTO "entries" VALUES(2,'c0463ba2-4624-4914-accd-c0ec22550239','2026-12-03T12:36:35.006402+00:00','hr@example.nl','match','bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb','0.1.0','ESCO v1.1.1 (en)',NULL,'031f72551e1d78fe7604ab1b899ace280bd57a5044e965984fce63469700495d','3b76760b2575bcfff08d48b0618275c7b996fb53bc473709ed084875655de7d0','29b2d9b8fba163859b909bab9d2678ca4de987b8043bd62d6b83b74a3ebe8ea1','657b029cc673bf92e1ba1eff92584eef404796d35c749573506925fc1ffc0c70');
INSERT INTO "entries" VALUES(3,'3114f62c-4f3c-4c3e-9509-6eed0b00ca96','2026-12-03T12:36:35.027177+00:00','hr@example.nl','match',NULL,'0.1.0',NULL,NULL,'7dd57a34c8deded57b542f4391ed39f8475c05725bfc42f1d544841fdc83dcef','29b2d9b8fba163859b909bab9d2678ca4de987b8043bd62d6b83b74a3ebe8ea1','16baae0d5f2e0fb4d08d77e03e2578cac36bd44768cb47e347bea8fa6910acc0','657b029cc673bf92e1ba1eff92584eef404796d35c749573506925fc1ffc0c70');
INSERT INTO "entries" VALUES(4,'ae7be4a7-4f4a-49ca-8707-20aea22d93af','2026-12-03T12:36:35.027919+00:00','A. Jansen','decision',NULL,'0.1.0',NULL,NULL,'be88012e00b306af59ea10aaa30938fcb1dc2e93817f1d0e77e3b9192407d8c9','16baae0d5f2e0fb4d08d77e03e2578cac36bd44768cb47e347bea8fa6910acc0','068c194feb6eee65822110be6c88df906b360facf20abe4b1a7bb978a1856f85','657b029cc673bf92e1ba1eff92584eef404796d35c749573506925fc1ffc0c70');
INSERT INTO "entries" VALUES(5,'32604de3-0484-49a2-be7f-925313c0f94a','2026-12-03T12:36:35.028754+00:00','dpo@example.nl','erasure',NULL,'0.1.0',NULL,NULL,'b9ab1ebb8e748cb6a3c8a10d8d6c71db2468b1cf8b39ddeb75f4fc5347e5a628','068c194feb6eee65822110be6c88df906b360facf20abe4b1a7bb978a1856f85','3727c6f5a4565bf06f1381e4b50b01263f5b133916aaad8e452d7a55b000e71a','657b029cc673bf92e1ba1eff92584eef404796d35c749573506925fc1ffc0c70');
INSERT INTO "entries" VALUES(6,'02c9e787-fb8a-421a-bb9c-45e3b750e2f0','2026-12-03T12:36:35.031084+00:00','B. de Vries','override',NULL,'0.1.0',NULL,NULL,'07545fc401163e95bd3c1a7a8c166617d30680e7b1370a79162e7b19c48022e7','3727c6f5a4565bf06f1381e4b50b01263f5b133916aaad8e452d7a55b000e71a','9f670be9871d0595a090eaa79c664e182fac20f01f64ab986accfe9b697712b0','657b029cc673bf92e1ba1eff92584eef404796d35c749573506925fc1ffc0c70');
CREATE TABLE head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL
    );
INSERT INTO "head" VALUES(1,6,'9f670be9871d0595a090eaa79c664e182fac20f01f64ab986accfe9b697712b0');
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO "meta" VALUES('format','skilltwin-audit');
INSERT INTO "meta" VALUES('schema_version','2');
INSERT INTO "meta" VALUES('created','2026-12-03T12:36:35.002403+00:00');
CREATE TABLE payloads (
        seq INTEGER PRIMARY KEY,
        subject TEXT,
        data TEXT,
        salt TEXT NOT NULL
    );
INSERT INTO "payloads" VALUES(2,'0ee9a361da0ad84f1edcc325a984b82bb65cdbb182adc52169e6e01e7e8cd824','{"output":{"score":0.64},"purpose":"internal mobility"}','d98072be9b33f4a18ad7b2712fb1b6056447d110cca3ed48ece1722b87a5ed6f');
INSERT INTO "payloads" VALUES(4,'0ee9a361da0ad84f1edcc325a984b82bb65cdbb182adc52169e6e01e7e8cd824','{"outcome":"shortlist"}','847cd39e447b9a98f03b6d0ab9da745c988ed1bfb247dc38618d214da2fe697e');
INSERT INTO "payloads" VALUES(5,NULL,'{"erased_entries":[3],"reason":"request 2026-003","signature":"1aec1e2e6aca4fa125177cd61f5feed2bd15aad569a20ef34ab4efd90eb097a25acd983f3ecbf3af28a6b5635988b11a2a7534c88bd853b1ae5d21f5f38d0007"}','48c4ab40e4d37eed74d6e96d2bba48fd4b628950e2668692eb61608a41379c61');
INSERT INTO "payloads" VALUES(6,'0ee9a361da0ad84f1edcc325a984b82bb65cdbb182adc52169e6e01e7e8cd824','{"human":{"score":0.7}}','18c56f060879d12320909d431e5ee3e509e35925789eb9730e9b8f6d05ebda8f');
CREATE INDEX entries_action ON entries (action);
CREATE INDEX entries_timestamp ON entries (timestamp);
CREATE INDEX entries_entry_id ON entries (entry_id);
CREATE INDEX payloads_subject ON payloads (subject);
CREATE TRIGGER entries_append_only_update BEFORE UPDATE ON entries
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
CREATE TRIGGER entries_append_only_delete BEFORE DELETE ON entries
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
CREATE TRIGGER payloads_no_update BEFORE UPDATE ON payloads
       BEGIN SELECT RAISE(ABORT, 'audit payloads can only be erased, not changed'); END;
COMMIT;
