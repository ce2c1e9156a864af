// Stand-in for the 'server-only' guard when lib modules run under Vitest (plain Node).
export {};
