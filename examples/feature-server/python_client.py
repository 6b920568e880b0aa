"""Python Feast as a client of feast-ts serve, through Feast's `remote` online store
(feature_store.yaml of this folder: online_store.type = remote). Needs `pip install feast`."""
# #region python
from feast import FeatureStore

store = FeatureStore(repo_path=".", fs_yaml_file="feature_store.remote.yaml")
features = store.get_online_features(
    features=["driver_hourly_stats:conv_rate", "driver_hourly_stats:avg_daily_trips"],
    entity_rows=[{"driver_id": 1001}, {"driver_id": 9999}],
).to_dict()
print(features)
# {'driver_id': [1001, 9999], 'conv_rate': [0.5, None], 'avg_daily_trips': [12, None]}
# #endregion python
