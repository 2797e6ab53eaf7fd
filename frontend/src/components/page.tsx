import { Suspense, type ReactNode } from "react";

import { PageLoading } from "./PageLoading";

/**
 * A lazily loaded page (``React.lazy``), with the skeleton while its chunk arrives: every
 * route is its own chunk, so the first load carries only the page it shows.
 */
export function page(element: ReactNode) {
  return <Suspense fallback={<PageLoading />}>{element}</Suspense>;
}
