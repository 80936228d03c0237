import type { DbColumn, DbTable } from './database-schema.js';
import type { DmmfDatamodel, DmmfField, DmmfModel } from './prisma-datamodel.js';

export interface SchemaDifference {
  table: string;
  problem: string;
}

/** Tables that belong to tooling, not to the datamodel. */
const TOOL_TABLES = new Set(['_prisma_migrations']);

interface ExpectedType {
  dataTypes: string[];
  length?: number;
  precision?: number;
  enumValues?: string[];
}

function expectedType(field: DmmfField, datamodel: DmmfDatamodel): ExpectedType | string {
  if (field.kind === 'enum') {
    const values = datamodel.enums.find((e) => e.name === field.type)?.values.map((v) => v.dbName ?? v.name);
    return { dataTypes: ['enum'], enumValues: values ?? [] };
  }
  const [native, args] = field.nativeType ?? [undefined, []];
  const n = args[0] === undefined ? undefined : Number(args[0]);
  switch (field.type) {
    case 'String':
      if (native === 'Char') return { dataTypes: ['char'], length: n };
      if (native === 'Text') return { dataTypes: ['text'] };
      if (native === 'VarChar' || native === undefined) return { dataTypes: ['varchar'], length: n ?? 191 };
      break;
    case 'Int':
      return { dataTypes: ['int'] };
    case 'BigInt':
      return { dataTypes: ['bigint'] };
    case 'Boolean':
      return { dataTypes: ['tinyint'] };
    case 'DateTime':
      if (native === 'Date') return { dataTypes: ['date'] };
      return { dataTypes: ['datetime'], precision: n ?? 3 };
    case 'Json':
      // MariaDB stores JSON as LONGTEXT with a json_valid() check; MySQL has a native type.
      return { dataTypes: ['json', 'longtext'] };
  }
  return `unsupported field type ${field.type}${native ? ` @db.${native}` : ''}: teach the drift check about it`;
}

function parseEnumValues(columnType: string): string[] {
  return [...columnType.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1]!.replace(/''/g, "'"));
}

function normalizeDefault(value: string | null): string | null {
  if (value === null) return null;
  return value.replace(/^'(.*)'$/s, '$1').toLowerCase();
}

function expectedDefault(field: DmmfField): string | null | 'any' {
  if (!field.hasDefaultValue) return null;
  const d = field.default as { name?: string } | string | number | boolean | undefined;
  if (typeof d === 'object' && d !== null) {
    if (d.name === 'now') return 'current_timestamp(3)';
    if (d.name === 'autoincrement') return null;
    return 'any';
  }
  if (typeof d === 'boolean') return d ? '1' : '0';
  return String(d).toLowerCase();
}

function compareColumn(model: DmmfModel, field: DmmfField, column: DbColumn, datamodel: DmmfDatamodel, out: SchemaDifference[]): void {
  const table = model.dbName ?? model.name;
  const where = `${table}.${column.name}`;
  const expected = expectedType(field, datamodel);
  if (typeof expected === 'string') {
    out.push({ table, problem: `${where}: ${expected}` });
    return;
  }
  if (!expected.dataTypes.includes(column.dataType))
    out.push({ table, problem: `${where}: type is ${column.columnType}, the datamodel says ${expected.dataTypes.join(' or ')}` });
  if (expected.length !== undefined && column.charLength !== expected.length)
    out.push({ table, problem: `${where}: length is ${column.charLength}, the datamodel says ${expected.length}` });
  if (expected.precision !== undefined && column.datetimePrecision !== expected.precision) {
    out.push({ table, problem: `${where}: datetime precision is ${column.datetimePrecision}, the datamodel says ${expected.precision}` });
  }
  if (expected.enumValues) {
    const actual = parseEnumValues(column.columnType);
    if (actual.join(',') !== expected.enumValues.join(','))
      out.push({ table, problem: `${where}: enum values are ${actual.join(',')}, the datamodel says ${expected.enumValues.join(',')}` });
  }
  if (column.nullable === field.isRequired)
    out.push({ table, problem: `${where}: is ${column.nullable ? 'nullable' : 'NOT NULL'}, the datamodel says ${field.isRequired ? 'required' : 'optional'}` });
  const isAutoincrement = (field.default as { name?: string } | undefined)?.name === 'autoincrement';
  if (column.autoIncrement !== isAutoincrement)
    out.push({ table, problem: `${where}: AUTO_INCREMENT is ${column.autoIncrement}, the datamodel says ${isAutoincrement}` });
  const wanted = expectedDefault(field);
  const actual = normalizeDefault(column.default);
  if (wanted !== 'any' && wanted !== actual && !(wanted === null && actual === null)) {
    out.push({ table, problem: `${where}: default is ${actual ?? 'none'}, the datamodel says ${wanted ?? 'none'}` });
  }
}

function columnName(model: DmmfModel, fieldName: string): string {
  const field = model.fields.find((f) => f.name === fieldName);
  return field?.dbName ?? fieldName;
}

/**
 * Every difference between the Prisma datamodel and a migrated database: missing or extra tables
 * and columns, types, lengths, nullability, defaults, enum values, indexes and foreign keys. An
 * empty list means the migrations produce exactly the schema the generated client expects.
 */
export function compareSchema(datamodel: DmmfDatamodel, tables: Map<string, DbTable>): SchemaDifference[] {
  const out: SchemaDifference[] = [];
  const modelTables = new Set(datamodel.models.map((m) => m.dbName ?? m.name));
  for (const name of tables.keys()) {
    if (!modelTables.has(name) && !TOOL_TABLES.has(name)) out.push({ table: name, problem: `table ${name} exists in the database but not in the datamodel` });
  }
  for (const model of datamodel.models) {
    const tableName = model.dbName ?? model.name;
    const table = tables.get(tableName);
    if (!table) {
      out.push({ table: tableName, problem: `table ${tableName} is missing from the database` });
      continue;
    }
    const scalarFields = model.fields.filter((f) => f.kind === 'scalar' || f.kind === 'enum' || f.kind === 'unsupported');
    const expectedColumns = new Set(scalarFields.map((f) => f.dbName ?? f.name));
    for (const field of scalarFields) {
      const column = table.columns.get(field.dbName ?? field.name);
      if (!column) out.push({ table: tableName, problem: `column ${tableName}.${field.dbName ?? field.name} is missing from the database` });
      else compareColumn(model, field, column, datamodel, out);
    }
    for (const column of table.columns.keys()) {
      if (!expectedColumns.has(column))
        out.push({ table: tableName, problem: `column ${tableName}.${column} exists in the database but not in the datamodel` });
    }
    compareIndexes(datamodel, model, table, out);
    compareForeignKeys(datamodel, model, table, out);
  }
  return out;
}

function compareIndexes(datamodel: DmmfDatamodel, model: DmmfModel, table: DbTable, out: SchemaDifference[]): void {
  const signature = (unique: boolean, columns: string[]) => `${unique ? 'unique' : 'index'}(${columns.join(',')})`;
  const expected = datamodel.indexes
    .filter((i) => i.model === model.name && i.type !== 'fulltext')
    .map((i) =>
      signature(
        i.type !== 'normal',
        i.fields.map((f) => columnName(model, f.name)),
      ),
    );
  const actual = table.indexes.map((i) => signature(i.unique, i.columns));
  for (const sig of expected) if (!actual.includes(sig)) out.push({ table: table.name, problem: `${table.name}: ${sig} is missing from the database` });
  for (const sig of actual)
    if (!expected.includes(sig)) out.push({ table: table.name, problem: `${table.name}: ${sig} exists in the database but not in the datamodel` });
}

function compareForeignKeys(datamodel: DmmfDatamodel, model: DmmfModel, table: DbTable, out: SchemaDifference[]): void {
  const relations = model.fields.filter((f) => f.kind === 'object' && (f.relationFromFields?.length ?? 0) > 0);
  const expected = relations.map((f) => {
    const target = datamodel.models.find((m) => m.name === f.type)!;
    const columns = f.relationFromFields!.map((n) => columnName(model, n));
    const onDelete = (f.relationOnDelete ?? (f.isRequired ? 'Restrict' : 'SetNull')).replace(/([a-z])([A-Z])/g, '$1 $2').toUpperCase();
    return `${columns.join(',')} -> ${target.dbName ?? target.name}(${f.relationToFields!.map((n) => columnName(target, n)).join(',')}) on delete ${onDelete}`;
  });
  const actual = table.foreignKeys.map((fk) => `${fk.columns.join(',')} -> ${fk.refTable}(${fk.refColumns.join(',')}) on delete ${fk.onDelete}`);
  for (const sig of expected)
    if (!actual.includes(sig)) out.push({ table: table.name, problem: `${table.name}: foreign key ${sig} is missing from the database` });
  for (const sig of actual)
    if (!expected.includes(sig)) out.push({ table: table.name, problem: `${table.name}: foreign key ${sig} exists in the database but not in the datamodel` });
}
