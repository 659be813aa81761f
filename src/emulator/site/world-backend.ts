import type { ConfluenceWorld } from '../../testing/confluence/world';
import type { ProductBackend } from '../host/product-backend';

/**
 * SHIM until the testing kit exports `answerConfluenceRequest`: answers every product request with an empty v2
 * page list, so the bridge can be exercised end to end. Replaced by the kit's msw handlers when they land.
 */
export function createWorldBackend(world: ConfluenceWorld): ProductBackend {
  return async (request, accountId) => {
    world.record({ method: request.method, path: request.path, status: 200, accountId });
    return {
      status: 200,
      statusText: 'OK',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ results: [], _links: {} }),
    };
  };
}
