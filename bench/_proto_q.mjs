import mysql from 'mysql2/promise';
import { ValueProto, serializeEntityKey } from '@feast-ts/core';
const pool = mysql.createPool({host:'127.0.0.1', user:'root', database:'test', connectionLimit:4});
await pool.query('DROP TABLE IF EXISTS proto_t');
await pool.query('CREATE TABLE proto_t (entity_key VARCHAR(512), feature_name VARCHAR(256), value BLOB, event_ts timestamp NULL DEFAULT NULL, created_ts timestamp NULL DEFAULT NULL, PRIMARY KEY(entity_key, feature_name))');
await pool.query('CREATE INDEX proto_t_ek ON proto_t (entity_key)');
const hex = i => Buffer.from(serializeEntityKey({joinKeys:['driver_id'], entityValues:[{int64Val: BigInt(i)}]})).toString('hex');
const keys = Array.from({length:2000},(_, i)=>hex(i));
let t=performance.now();
const conn = await pool.getConnection();
await conn.query('BEGIN');
for (let c=0;c<2000;c+=100){
  const rows=[];
  for (let i=c;i<c+100;i++) for (let f=0;f<50;f++) rows.push([keys[i], 'f'+f, Buffer.from(ValueProto.encode({doubleVal: i+f/10})), new Date(), null]);
  await conn.query('INSERT INTO proto_t VALUES ? ON DUPLICATE KEY UPDATE value=VALUES(value)', [rows]);
}
await conn.query('COMMIT'); conn.release();
console.log('write 100k rows ms', performance.now()-t);
async function bench(name, fn, n=200){ for(let i=0;i<20;i++) await fn(); const ts=[]; for(let i=0;i<n;i++){const s=performance.now(); await fn(); ts.push(performance.now()-s);} ts.sort((a,b)=>a-b); console.log(name, 'p50', ts[n/2|0].toFixed(3), 'p99', ts[Math.floor(n*0.99)].toFixed(3)); }
for (const N of [1,10,100,1000]) {
  const ks = keys.slice(0,N);
  const feats = Array.from({length:10},(_, f)=>'f'+f);
  await bench(`raw query N=${N} 10f`, ()=>pool.query('SELECT entity_key, feature_name, value, event_ts FROM proto_t WHERE entity_key IN (?) AND feature_name IN (?)', [ks, feats]));
  await bench(`raw query arr N=${N} 10f`, ()=>pool.query({sql:'SELECT entity_key, feature_name, value, UNIX_TIMESTAMP(event_ts) FROM proto_t WHERE entity_key IN (?) AND feature_name IN (?)', rowsAsArray:true}, [ks, feats]));
  await bench(`raw exec N=${N} 10f`, ()=>pool.execute('SELECT entity_key, feature_name, value, event_ts FROM proto_t WHERE entity_key IN ('+ks.map(()=>'?').join()+') AND feature_name IN ('+feats.map(()=>'?').join()+')', [...ks, ...feats]));
  await bench(`raw query N=${N} all50`, ()=>pool.query('SELECT entity_key, feature_name, value, event_ts FROM proto_t WHERE entity_key IN (?)', [ks]));
  await bench(`raw query+decode N=${N} all50`, async ()=>{ const [rows] = await pool.query({sql:'SELECT entity_key, feature_name, value, UNIX_TIMESTAMP(event_ts) FROM proto_t WHERE entity_key IN (?)', rowsAsArray:true}, [ks]); for (const r of rows) ValueProto.decode(r[2]); });
}
await pool.end();
