import { createContext, useContext } from 'react';

/**
 * Whether the page around a component is the one on screen. Pages stay mounted to keep their
 * state; they read this to poll only while visible.
 */
export const PageActiveContext = createContext(true);

export function usePageActive(): boolean {
  return useContext(PageActiveContext);
}
