/**
 * The HTML report's script. It reads the embedded JSON and builds the page with DOM calls:
 * every piece of data goes in through `textContent` or an attribute set by `setAttribute`
 * on a fixed attribute name, never through `innerHTML`, so no value can become markup.
 * Written as plain ES2019 in strings because the report must work offline with no bundle;
 * its SHA-256 goes into the page's Content-Security-Policy.
 */
import { detailSectionsPrelude, detailSectionsSource, HTML_DETAIL_SECTIONS } from './html-detail-sections.js';
import { HTML_SCRIPT_CHARTS } from './html-script-charts.js';
import { HTML_SCRIPT_CORE } from './html-script-core.js';
import { HTML_SCRIPT_CONTROLS, HTML_SCRIPT_DETAILS } from './html-script-details.js';
import { HTML_SCRIPT_GROUPS } from './html-script-groups.js';

export const HTML_PAGE_SCRIPT = `(function () {
'use strict';
${HTML_SCRIPT_CORE}
${HTML_SCRIPT_GROUPS}
${HTML_SCRIPT_CHARTS}
${detailSectionsPrelude(HTML_DETAIL_SECTIONS)}
var SECTIONS = ${detailSectionsSource(HTML_DETAIL_SECTIONS)};
${HTML_SCRIPT_DETAILS}
${HTML_SCRIPT_CONTROLS}
})();
`;
