/** How often command lists and details refresh by themselves (to watch a retry reach ACKED). */
export const COMMANDS_REFRESH_MS = 2_000;
