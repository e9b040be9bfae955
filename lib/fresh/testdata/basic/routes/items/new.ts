export const handler = () => new Response("static wins");
