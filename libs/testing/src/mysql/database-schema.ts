import mysql, { type RowDataPacket } from 'mysql2/promise';
import { connectionOptions, parseMysqlUrl } from '@app/db-migrate';

export interface DbColumn {
  name: string;
  dataType: string;
  columnType: string;
  nullable: boolean;
  default: string | null;
  autoIncrement: boolean;
  charLength: number | null;
  datetimePrecision: number | null;
}

export interface DbIndex {
  name: string;
  unique: boolean;
  columns: string[];
}

export interface DbForeignKey {
  name: string;
  columns: string[];
  refTable: string;
  refColumns: string[];
  onDelete: string;
  onUpdate: string;
}

export interface DbTable {
  name: string;
  columns: Map<string, DbColumn>;
  indexes: DbIndex[];
  foreignKeys: DbForeignKey[];
}

/** Reads tables, columns, indexes and foreign keys of one database from information_schema. */
export async function readDatabaseSchema(databaseUrl: string): Promise<Map<string, DbTable>> {
  const target = parseMysqlUrl(databaseUrl);
  const connection = await mysql.createConnection(connectionOptions(target));
  try {
    const tables = new Map<string, DbTable>();
    const [tableRows] = await connection.query<RowDataPacket[]>(
      "SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_TYPE = 'BASE TABLE'",
      [target.database],
    );
    for (const row of tableRows) tables.set(String(row.name), { name: String(row.name), columns: new Map(), indexes: [], foreignKeys: [] });

    const [columns] = await connection.query<RowDataPacket[]>(
      `SELECT TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, CHARACTER_MAXIMUM_LENGTH, DATETIME_PRECISION
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, ORDINAL_POSITION`,
      [target.database],
    );
    for (const c of columns) {
      const rawDefault = c.COLUMN_DEFAULT === null || c.COLUMN_DEFAULT === 'NULL' ? null : String(c.COLUMN_DEFAULT);
      tables.get(String(c.TABLE_NAME))?.columns.set(String(c.COLUMN_NAME), {
        name: String(c.COLUMN_NAME),
        dataType: String(c.DATA_TYPE).toLowerCase(),
        columnType: String(c.COLUMN_TYPE),
        nullable: c.IS_NULLABLE === 'YES',
        default: rawDefault,
        autoIncrement: String(c.EXTRA).toLowerCase().includes('auto_increment'),
        charLength: c.CHARACTER_MAXIMUM_LENGTH === null ? null : Number(c.CHARACTER_MAXIMUM_LENGTH),
        datetimePrecision: c.DATETIME_PRECISION === null ? null : Number(c.DATETIME_PRECISION),
      });
    }

    const [indexRows] = await connection.query<RowDataPacket[]>(
      `SELECT TABLE_NAME, INDEX_NAME, NON_UNIQUE, COLUMN_NAME FROM information_schema.STATISTICS
        WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX`,
      [target.database],
    );
    for (const r of indexRows) {
      const table = tables.get(String(r.TABLE_NAME));
      if (!table) continue;
      let index = table.indexes.find((i) => i.name === r.INDEX_NAME);
      if (!index) {
        index = { name: String(r.INDEX_NAME), unique: Number(r.NON_UNIQUE) === 0, columns: [] };
        table.indexes.push(index);
      }
      index.columns.push(String(r.COLUMN_NAME));
    }

    const [fkRows] = await connection.query<RowDataPacket[]>(
      `SELECT k.TABLE_NAME, k.CONSTRAINT_NAME, k.COLUMN_NAME, k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME, r.DELETE_RULE, r.UPDATE_RULE
         FROM information_schema.KEY_COLUMN_USAGE k
         JOIN information_schema.REFERENTIAL_CONSTRAINTS r
           ON r.CONSTRAINT_SCHEMA = k.CONSTRAINT_SCHEMA AND r.CONSTRAINT_NAME = k.CONSTRAINT_NAME AND r.TABLE_NAME = k.TABLE_NAME
        WHERE k.TABLE_SCHEMA = ? AND k.REFERENCED_TABLE_NAME IS NOT NULL
        ORDER BY k.TABLE_NAME, k.CONSTRAINT_NAME, k.ORDINAL_POSITION`,
      [target.database],
    );
    for (const r of fkRows) {
      const table = tables.get(String(r.TABLE_NAME));
      if (!table) continue;
      let fk = table.foreignKeys.find((f) => f.name === r.CONSTRAINT_NAME);
      if (!fk) {
        fk = {
          name: String(r.CONSTRAINT_NAME),
          columns: [],
          refTable: String(r.REFERENCED_TABLE_NAME),
          refColumns: [],
          onDelete: String(r.DELETE_RULE),
          onUpdate: String(r.UPDATE_RULE),
        };
        table.foreignKeys.push(fk);
      }
      fk.columns.push(String(r.COLUMN_NAME));
      fk.refColumns.push(String(r.REFERENCED_COLUMN_NAME));
    }
    return tables;
  } finally {
    await connection.end();
  }
}
