import { HttpError } from "fresh";

export const handler = () => {
  throw new HttpError(418, "I'm a teapot");
};
