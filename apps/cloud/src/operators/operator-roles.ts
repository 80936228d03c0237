import type { OperatorRole } from '../database/generated/enums.js';

export type { OperatorRole };

export const OPERATOR_ROLES = ['ADMIN', 'MENU_EDITOR', 'SUPPORT', 'VIEWER'] as const satisfies readonly OperatorRole[];
