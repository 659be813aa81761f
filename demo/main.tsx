// Temporary bridge smoke (replaced by the React demo).
declare const AP: { request(o: { url: string }): Promise<{ body: string; xhr: { status: number } }> };
const root = document.getElementById('root')!;
AP.request({ url: '/api/v2/pages?limit=5' }).then(
  (r) => (root.textContent = `bridge ok ${r.xhr.status}`),
  (e: { xhr?: { status: number } }) => (root.textContent = `bridge error ${e.xhr?.status}`),
);
