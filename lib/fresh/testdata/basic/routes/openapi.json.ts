export const handler = () => Response.json({ openapi: "3.1.0" });
