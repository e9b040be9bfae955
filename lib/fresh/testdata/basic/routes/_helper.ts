// Not a route: files starting with _ (other than _app, _layout, _middleware, _error) are ignored.
export const value = 1;
