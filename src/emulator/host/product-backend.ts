/** One `AP.request` as it reaches the emulated product (path includes the `/wiki` context path). */
export interface ProductRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}
export interface ProductResponse {
  status: number;
  statusText: string;
  /** Lower-cased names, plain data: simple-xdm strips functions, so `xhr.getResponseHeader` cannot cross. */
  headers: Record<string, string>;
  body: string;
}
/** Answers a product request as the given user. Throws when the request never reaches the product (host down). */
export type ProductBackend = (request: ProductRequest, accountId: string) => Promise<ProductResponse>;
