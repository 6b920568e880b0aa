# usage:
#   sqlalchemy_check.py create <url>                    SQLAlchemy's create_all of Feast's tables
#   sqlalchemy_check.py describe <url>                  the catalog as SQLAlchemy's inspector sees it, as JSON
#   sqlalchemy_check.py read <pb2 dir> <url> <project>  the project's rows parsed with protoc's classes, as JSON
import json
import os
import sys

from sqlalchemy import create_engine, inspect, select

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
mode = sys.argv[1]

if mode == "create":
    from feast_sql_tables import metadata

    metadata.create_all(create_engine(sys.argv[2]))
elif mode == "describe":
    ins = inspect(create_engine(sys.argv[2]))
    out = {}
    for t in sorted(ins.get_table_names()):
        out[t] = {
            "columns": [[c["name"], str(c["type"]), c["nullable"], None if c.get("default") is None else str(c["default"])] for c in ins.get_columns(t)],
            "pk": ins.get_pk_constraint(t)["constrained_columns"],
            "indexes": sorted([i["name"], i["column_names"], bool(i.get("unique"))] for i in ins.get_indexes(t)),
        }
    print(json.dumps(out, sort_keys=True))
elif mode == "read":
    sys.path.insert(0, sys.argv[2])
    from feast.core import Entity_pb2, FeatureService_pb2, FeatureView_pb2, Project_pb2
    from feast_sql_tables import metadata

    engine = create_engine(sys.argv[3])
    project = sys.argv[4]
    t = metadata.tables
    out = {"entities": {}, "feature_views": {}, "feature_services": {}, "projects": [], "metadata": []}
    with engine.begin() as conn:
        for row in conn.execute(select(t["entities"]).where(t["entities"].c.project_id == project)):
            e = Entity_pb2.Entity.FromString(row.entity_proto)
            out["entities"][row.entity_name] = {"join_key": e.spec.join_key, "value_type": e.spec.value_type, "project": e.spec.project, "created": e.meta.created_timestamp.seconds > 0}
        for row in conn.execute(select(t["feature_views"]).where(t["feature_views"].c.project_id == project)):
            v = FeatureView_pb2.FeatureView.FromString(row.feature_view_proto)
            out["feature_views"][row.feature_view_name] = {
                "entities": list(v.spec.entities),
                "features": [[f.name, f.value_type] for f in v.spec.features],
                "ttl": v.spec.ttl.seconds,
                "online": v.spec.online,
                "row_ts_matches_meta": row.last_updated_timestamp == v.meta.last_updated_timestamp.seconds,
            }
        for row in conn.execute(select(t["feature_services"]).where(t["feature_services"].c.project_id == project)):
            s = FeatureService_pb2.FeatureService.FromString(row.feature_service_proto)
            out["feature_services"][row.feature_service_name] = [[p.feature_view_name, [f.name for f in p.feature_columns]] for p in s.spec.features]
        for row in conn.execute(select(t["projects"])):
            out["projects"].append([row.project_id, row.project_name, Project_pb2.Project.FromString(row.project_proto).spec.name])
        for row in conn.execute(select(t["feast_metadata"]).where(t["feast_metadata"].c.project_id == project)):
            out["metadata"].append(row.metadata_key)
    out["metadata"].sort()
    print(json.dumps(out, sort_keys=True))
