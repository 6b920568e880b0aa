# Feast's SQL registry tables, declared with SQLAlchemy column for column as Feast's
# sdk/python/feast/infra/registry/sql.py declares them, so that SQLAlchemy's own create_all can be
# compared with what @feast-ts/sql-registry creates.
from sqlalchemy import BigInteger, Column, Index, Integer, LargeBinary, MetaData, String, Table, Text
from sqlalchemy.dialects import mysql

metadata = MetaData()
# Feast's ProtoBytes: LargeBinary, LONGBLOB on MySQL / MariaDB.
ProtoBytes = LargeBinary().with_variant(mysql.LONGBLOB(), "mysql").with_variant(mysql.LONGBLOB(), "mariadb")


def object_table(name, key, proto, before=(), after=(), view=False):
    cols = [Column(key, String(255), primary_key=True), Column("project_id", String(255), primary_key=True)]
    cols += list(before)
    cols.append(Column("last_updated_timestamp", BigInteger, nullable=False))
    cols += list(after)
    cols.append(Column(proto, ProtoBytes, nullable=False))
    if view:
        cols.append(Column("user_metadata", ProtoBytes, nullable=True))
    table = Table(name, metadata, *cols)
    Index(f"idx_{name}_project_id", table.c.project_id)
    return table


projects = Table(
    "projects",
    metadata,
    Column("project_id", String(255), primary_key=True),
    Column("project_name", String(255), nullable=False),
    Column("last_updated_timestamp", BigInteger, nullable=False),
    Column("project_proto", ProtoBytes, nullable=False),
)
Index("idx_projects_project_id", projects.c.project_id)
object_table("entities", "entity_name", "entity_proto")
object_table("data_sources", "data_source_name", "data_source_proto")
object_table("feature_views", "feature_view_name", "feature_view_proto", after=[Column("materialized_intervals", ProtoBytes, nullable=True)], view=True)
object_table("stream_feature_views", "feature_view_name", "feature_view_proto", view=True)
object_table("on_demand_feature_views", "feature_view_name", "feature_view_proto", view=True)
object_table("label_views", "feature_view_name", "feature_view_proto", view=True)
object_table("feature_services", "feature_service_name", "feature_service_proto")
saved = object_table(
    "saved_datasets",
    "saved_dataset_name",
    "saved_dataset_proto",
    before=[Column("namespace", String(255), nullable=False, server_default=""), Column("collection", String(255), nullable=False, server_default="")],
)
Index("idx_saved_datasets_project_namespace", saved.c.project_id, saved.c.namespace)
object_table("validation_references", "validation_reference_name", "validation_reference_proto")
object_table("managed_infra", "infra_name", "infra_proto")
object_table("permissions", "permission_name", "permission_proto")
history = Table(
    "feature_view_version_history",
    metadata,
    Column("feature_view_name", String(255), primary_key=True),
    Column("project_id", String(255), primary_key=True),
    Column("version_number", Integer, primary_key=True),
    Column("feature_view_type", String(50), nullable=False),
    Column("feature_view_proto", ProtoBytes, nullable=False),
    Column("created_timestamp", BigInteger, nullable=False),
    Column("description", Text, nullable=True),
    Column("version_id", String(36), nullable=False),
)
Index("idx_fv_version_history_project_id", history.c.project_id)
feast_metadata = Table(
    "feast_metadata",
    metadata,
    Column("project_id", String(255), primary_key=True),
    Column("metadata_key", String(50), primary_key=True),
    Column("metadata_value", Text, nullable=False),
    Column("last_updated_timestamp", BigInteger, nullable=False),
)
Index("idx_feast_metadata_project_id", feast_metadata.c.project_id)
