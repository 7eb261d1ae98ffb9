// Prints {"columns":[{"name","type"}...],"rows":N} for a Parquet file, as DuckDB reads it.
import { DuckDBInstance } from '@duckdb/node-api';

const file = process.argv[2];
if (!file) {
  console.error('usage: node describe.mjs <file.parquet>');
  process.exit(2);
}
const instance = await DuckDBInstance.create(':memory:');
const connection = await instance.connect();
const escaped = file.replaceAll("'", "''");
const schema = await connection.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${escaped}')`);
const columns = schema.getRowObjectsJson().map(r => ({ name: r.column_name, type: r.column_type }));
const count = await connection.runAndReadAll(`SELECT count(*)::INTEGER AS n FROM read_parquet('${escaped}')`);
const rows = count.getRowObjectsJson()[0].n;
console.log(JSON.stringify({ columns, rows }));
