/**
 * Feast's own online stores, by the names a feature_store.yaml written for
 * Python Feast uses (`ONLINE_STORE_CLASS_FOR_TYPE` and its legacy class paths in
 * Feast's `repo_config.py`), and what each means to feast-ts: one of our store
 * packages, or a store we have no adapter for yet.
 */

/** A module and export that `online_store.type` resolves to. */
export interface StoreModuleRef {
  moduleName: string;
  exportName: string;
}

/** Short names of the stores maintained in this repository, as in Feast's `ONLINE_STORE_CLASS_FOR_TYPE`. */
export const ONLINE_STORE_SHORT_NAMES: Readonly<Record<string, StoreModuleRef>> = Object.freeze({
  sqlite: { moduleName: '@feast-ts/sqlite', exportName: 'SqliteOnlineStore' },
  mysql: { moduleName: '@feast-ts/contrib-mysql', exportName: 'MySQLOnlineStore' },
  redis: { moduleName: '@feast-ts/redis', exportName: 'RedisOnlineStore' },
  postgres: { moduleName: '@feast-ts/postgres', exportName: 'PostgreSQLOnlineStore' },
});

/**
 * Feast's Python class paths (current and legacy) of the stores feast-ts has,
 * mapped to our short names.
 */
export const FEAST_CLASS_PATHS: Readonly<Record<string, keyof typeof ONLINE_STORE_SHORT_NAMES>> = Object.freeze({
  'feast.infra.online_stores.sqlite.SqliteOnlineStore': 'sqlite',
  'feast.infra.online_stores.redis.RedisOnlineStore': 'redis',
  'feast.infra.online_stores.mysql_online_store.mysql.MySQLOnlineStore': 'mysql',
  'feast.infra.online_stores.contrib.mysql_online_store.mysql.MySQLOnlineStore': 'mysql',
  'feast.infra.online_stores.postgres_online_store.postgres.PostgreSQLOnlineStore': 'postgres',
  'feast.infra.online_stores.postgres_online_store.PostgreSQLOnlineStore': 'postgres',
  'feast.infra.online_stores.contrib.postgres.PostgreSQLOnlineStore': 'postgres',
});

/** A Feast online store feast-ts has no adapter for. */
export interface FeastOnlyStore {
  /** What the store is, for messages. */
  label: string;
  /** Its Python class in Feast, when it has a short name there. */
  feastClass?: string;
}

/**
 * Feast's online stores that feast-ts cannot serve yet, by Feast short name
 * (and a few names Feast used in older releases or templates).
 */
export const FEAST_ONLY_STORES: Readonly<Record<string, FeastOnlyStore>> = Object.freeze({
  datastore: { label: 'Google Cloud Datastore', feastClass: 'feast.infra.online_stores.datastore.DatastoreOnlineStore' },
  dynamodb: { label: 'Amazon DynamoDB', feastClass: 'feast.infra.online_stores.dynamodb.DynamoDBOnlineStore' },
  'snowflake.online': { label: 'Snowflake', feastClass: 'feast.infra.online_stores.snowflake.SnowflakeOnlineStore' },
  bigtable: { label: 'Google Cloud Bigtable', feastClass: 'feast.infra.online_stores.bigtable.BigtableOnlineStore' },
  hbase: { label: 'Apache HBase', feastClass: 'feast.infra.online_stores.hbase_online_store.hbase.HbaseOnlineStore' },
  cassandra: {
    label: 'Apache Cassandra / Astra DB',
    feastClass: 'feast.infra.online_stores.cassandra_online_store.cassandra_online_store.CassandraOnlineStore',
  },
  hazelcast: {
    label: 'Hazelcast',
    feastClass: 'feast.infra.online_stores.hazelcast_online_store.hazelcast_online_store.HazelcastOnlineStore',
  },
  ikv: { label: 'IKV', feastClass: 'feast.infra.online_stores.ikv_online_store.ikv.IKVOnlineStore' },
  elasticsearch: {
    label: 'Elasticsearch',
    feastClass: 'feast.infra.online_stores.elasticsearch_online_store.elasticsearch.ElasticSearchOnlineStore',
  },
  remote: { label: 'remote (a Feast feature server over HTTP)', feastClass: 'feast.infra.online_stores.remote.RemoteOnlineStore' },
  singlestore: {
    label: 'SingleStore',
    feastClass: 'feast.infra.online_stores.singlestore_online_store.singlestore.SingleStoreOnlineStore',
  },
  qdrant: { label: 'Qdrant', feastClass: 'feast.infra.online_stores.qdrant_online_store.qdrant.QdrantOnlineStore' },
  'couchbase.online': {
    label: 'Couchbase',
    feastClass: 'feast.infra.online_stores.couchbase_online_store.couchbase.CouchbaseOnlineStore',
  },
  milvus: { label: 'Milvus', feastClass: 'feast.infra.online_stores.milvus_online_store.milvus.MilvusOnlineStore' },
  mongodb: { label: 'MongoDB' },
  faiss: { label: 'Faiss' },
  hybrid: { label: 'hybrid (several online stores routed by tag)' },
  'hybrid_online_store.HybridOnlineStore': { label: 'hybrid (several online stores routed by tag)' },
  HybridOnlineStore: { label: 'hybrid (several online stores routed by tag)' },
  // Names from older Feast releases and templates.
  couchbase: { label: 'Couchbase' },
  rockset: { label: 'Rockset (removed from Feast)' },
});

/** The prefix of every online store class in Python Feast. */
export const FEAST_PYTHON_PREFIX = 'feast.infra.';
