import { readFile } from 'node:fs/promises';
import prismaSchemaWasm from '@prisma/prisma-schema-wasm';

/** The parts of Prisma's DMMF datamodel the drift check reads. */
export interface DmmfField {
  name: string;
  kind: 'scalar' | 'object' | 'enum' | 'unsupported';
  type: string;
  isRequired: boolean;
  isList: boolean;
  isUpdatedAt: boolean;
  hasDefaultValue: boolean;
  default?: unknown;
  nativeType?: [string, string[]] | null;
  dbName?: string | null;
  relationFromFields?: string[];
  relationToFields?: string[];
  relationOnDelete?: string;
}

export interface DmmfModel {
  name: string;
  dbName: string | null;
  fields: DmmfField[];
}

export interface DmmfIndex {
  model: string;
  type: 'id' | 'unique' | 'normal' | 'fulltext';
  fields: { name: string }[];
  dbName?: string | null;
}

export interface DmmfDatamodel {
  models: DmmfModel[];
  enums: { name: string; values: { name: string; dbName: string | null }[] }[];
  indexes: DmmfIndex[];
}

/** Parses a Prisma schema with Prisma's own parser (WASM: no engine download needed). */
export async function readPrismaDatamodel(schemaPath: string): Promise<DmmfDatamodel> {
  const schema = await readFile(schemaPath, 'utf8');
  const dmmf = JSON.parse(prismaSchemaWasm.get_dmmf(JSON.stringify({ prismaSchema: [['schema.prisma', schema]] }))) as { datamodel: DmmfDatamodel };
  return dmmf.datamodel;
}
