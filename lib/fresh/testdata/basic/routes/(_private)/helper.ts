// Not a route: folders named (_something) are ignored.
export const handler = () => new Response("should not be routed");
