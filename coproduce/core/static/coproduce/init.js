// Start GOV.UK Frontend's components (loaded as a module, so old browsers skip it).
import { initAll } from "./govuk-frontend.min.js";

initAll();
