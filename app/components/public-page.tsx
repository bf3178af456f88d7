import type { ReactNode } from "react";
import { SiteFooter } from "./site-footer";
import { SiteHeader } from "./site-header";

/** The frame of a public page: header with « Résilier votre contrat », main content, footer. */
export function PublicPage({ children, wide = false }: { children: ReactNode; wide?: boolean }) {
  return (
    <>
      <SiteHeader />
      <main id="main" className="page">
        <div
          className={
            wide ? "container stack stack--large" : "container container--narrow stack stack--large"
          }
        >
          {children}
        </div>
      </main>
      <SiteFooter />
    </>
  );
}
