import { fileURLToPath } from 'node:url';

// Gitignored: a run's numbers belong to its machine, not to the repository.
export const RESULTS_FILE = fileURLToPath(new URL('./results.json', import.meta.url));
