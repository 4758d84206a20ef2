-- An audit log written by skilltwin before issue #11 (schema version 1), as SQL.
-- Pseudonym key: legacy-format-key-0123456789abcdef
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
        hash TEXT NOT NULL
    );
INSERT INTO "entries" VALUES(1,'f531e680-4f4a-467c-a614-b83ddb8e1f9c','2026-11-30T21:39:02.610917+00:00','system','note',NULL,'0.1.0',NULL,NULL,NULL,'0000000000000000000000000000000000000000000000000000000000000000','82e2e2c4e213ddca9d1e70472c6c4178e48c40207c332f5610994b81ad579ad3');
INSERT INTO "entries" VALUES(2,'e33c02e7-84cd-41f0-834f-8df56d5d04b1','2026-11-30T21:39:02.611868+00:00','hr@example.nl','match','aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa','0.1.0','ESCO v1.1.1 (en)',NULL,'ea8edf88a8fd414a4538c156a2abc13c1a319b02440817d13ed2ed988e447937','82e2e2c4e213ddca9d1e70472c6c4178e48c40207c332f5610994b81ad579ad3','d5c73cc707b7dc171b15651db6d2de76d029402aa165d45bc7b4f9141a7402cf');
INSERT INTO "entries" VALUES(3,'dbeacb4f-d01d-4583-9610-a05fc3ed0a90','2026-11-30T21:39:02.612354+00:00','hr@example.nl','match',NULL,'0.1.0',NULL,NULL,'7754ae2b6ed7a25ec2ab423cbb4df91ae2e0dd0032d27651f1b2c204562d6838','d5c73cc707b7dc171b15651db6d2de76d029402aa165d45bc7b4f9141a7402cf','039c04ed25aa423a0fa759a14310ddc146fe2c483a0bf9b74f91f2badf3ceddf');
INSERT INTO "entries" VALUES(4,'e0aed6a8-e66a-4a33-ba02-156540f902ac','2026-11-30T21:39:02.612751+00:00','A. Jansen','decision',NULL,'0.1.0',NULL,NULL,'3cf546176b16e8585d8b03b894d0bb38e4c387b46a6f4991b5915709015a7139','039c04ed25aa423a0fa759a14310ddc146fe2c483a0bf9b74f91f2badf3ceddf','5f968eaff9f419513d87bf6bbf16ccbfb0aa052995bf9b39afc1957a31803b30');
INSERT INTO "entries" VALUES(5,'d215d65d-bf00-44f2-88c0-1170f4c0f5f1','2026-11-30T21:39:02.613214+00:00','dpo@example.nl','erasure',NULL,'0.1.0',NULL,NULL,'497bcf2cfd348258e7aca689ec1b3569734ef4cf5f6ecb5e35c5db324c76e790','5f968eaff9f419513d87bf6bbf16ccbfb0aa052995bf9b39afc1957a31803b30','1e1ea544bfc9c9a26df1ff4ae0a874f693ddeab0bd40d193065d7bc2b4056b74');
INSERT INTO "entries" VALUES(6,'cad3657b-2d50-4eb7-8d37-09d643737625','2026-11-30T21:39:02.614253+00:00','A. Jansen','decision',NULL,'0.1.0',NULL,NULL,'847f045bfc060c78bb5fa7aa7d59e50d478a393a19dbfb7cce84ad297f66cbb0','1e1ea544bfc9c9a26df1ff4ae0a874f693ddeab0bd40d193065d7bc2b4056b74','0cac3eed86013365a012cc5d492c14991ecf58a0d83943de09489c470413ca81');
CREATE TABLE head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL
    );
INSERT INTO "head" VALUES(1,6,'0cac3eed86013365a012cc5d492c14991ecf58a0d83943de09489c470413ca81');
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO "meta" VALUES('format','skilltwin-audit');
INSERT INTO "meta" VALUES('schema_version','1');
INSERT INTO "meta" VALUES('created','2026-11-30T21:39:02.610002+00:00');
INSERT INTO "meta" VALUES('key_fingerprint','d6f089ac3c286badc9eb734dfe79fe386dfdd52c9aed4b0065635314266ba73b');
CREATE TABLE payloads (
        seq INTEGER PRIMARY KEY,
        subject TEXT,
        data TEXT,
        salt TEXT NOT NULL
    );
INSERT INTO "payloads" VALUES(3,'dd8230ded82b70a31babfd6f72cda5698d3fb4bab81a56f853a434fde46e289f','{"purpose":"internal mobility","score":0.77}','f63b72fa56b498f287c5f6c3e849054b2aad484f48f3344cbe9277fac11202e7');
INSERT INTO "payloads" VALUES(5,NULL,'{"erased_entries":[2,4],"reason":"request 2026-001"}','77d77251eedbad2e91a0e7ee2a955b92e58c8fb5c3649d8edb0b7c82953e033c');
INSERT INTO "payloads" VALUES(6,'dd8230ded82b70a31babfd6f72cda5698d3fb4bab81a56f853a434fde46e289f','{"outcome":"offer training"}','9f0cee5b668ee48ef6094ecd9ff727cbddadc1efa087203bfa42a3cc8d64a578');
CREATE INDEX entries_action ON entries (action);
CREATE INDEX entries_timestamp ON entries (timestamp);
CREATE INDEX payloads_subject ON payloads (subject);
CREATE TRIGGER entries_append_only_update BEFORE UPDATE ON entries
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
CREATE TRIGGER entries_append_only_delete BEFORE DELETE ON entries
       BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END;
CREATE TRIGGER payloads_no_update BEFORE UPDATE ON payloads
       BEGIN SELECT RAISE(ABORT, 'audit payloads can only be erased, not changed'); END;
COMMIT;
