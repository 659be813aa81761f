// The query keys of the built-in reads, shared by `confluenceQueries` and the early start's `earlyReads`: a read
// started before React is adopted by the query whose key matches exactly.

export const currentUserKey = () => ['confluence', 'user', 'current'];
export const pageKey = (id: string, bodyFormat?: string) => ['confluence', 'page', id, bodyFormat];
export const spaceKey = (id: string) => ['confluence', 'space', id];
