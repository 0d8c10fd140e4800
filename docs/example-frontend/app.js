/*
 * Byline example frontend: renders the paper from the content API (v3) alone.
 *
 * No build step and nothing fetched from elsewhere: this file, index.html and
 * style.css are the whole frontend. Pages are chosen by the query string:
 *
 *   ?path=/world/some-story/   any page of the site, by its path (front page without it)
 *   ?author=ada-quill          an author and their articles
 *   ?preview_token=…           a draft, as Wagtail's preview panel opens it
 *   ?api=http://cms.example    the Byline site to read (otherwise CONFIG.cmsBaseUrl)
 *
 * Text from the API is inserted as text; only the fields the API documents as
 * finished HTML (paragraphs, fact boxes, biographies, embeds) as HTML.
 */
"use strict";

// The Byline site this frontend reads; `?api=` overrides it.
const CONFIG = {
    cmsBaseUrl: "http://127.0.0.1:8000",
    apiPath: "/api/v3/",
    locale: "en-GB",
};

const query = new URLSearchParams(window.location.search);
const CMS = (query.get("api") || CONFIG.cmsBaseUrl).replace(/\/+$/, "").replace(/\/api\/v3$/, "");
const API = CMS + CONFIG.apiPath;

// API ---------------------------------------------------------------------------------

class APIError extends Error {
    constructor(status, detail) {
        super(detail);
        this.status = status;
    }
}

async function api(path, parameters = {}) {
    const url = new URL(path, API);
    for (const [name, value] of Object.entries(parameters)) {
        if (value !== undefined && value !== null) url.searchParams.set(name, value);
    }
    // No cookies: the API is public, and a preview is opened by its token alone.
    const response = await fetch(url, { headers: { Accept: "application/json" }, credentials: "omit" });
    let body = null;
    try {
        body = await response.json();
    } catch {
        body = null;
    }
    if (!response.ok) {
        throw new APIError(response.status, (body && (body.detail || body.message)) || response.statusText);
    }
    return body;
}

async function siteData() {
    // Name, menu, tagline and lead story; an older Byline without /site/ still works.
    try {
        return await api("site/");
    } catch {
        return null;
    }
}

// Building HTML -------------------------------------------------------------------------

function h(tag, attributes = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) {
        if (value === null || value === undefined || value === false) continue;
        if (name === "class") node.className = value;
        else if (name === "html") node.innerHTML = value; // finished HTML from the API only
        else node.setAttribute(name, value === true ? "" : String(value));
    }
    for (const child of children.flat(Infinity)) {
        if (child === null || child === undefined || child === false) continue;
        node.append(child instanceof Node ? child : String(child));
    }
    return node;
}

function safeUrl(url) {
    // Links from the API are http(s) or site paths; anything else is not followed.
    try {
        const parsed = new URL(url, CMS + "/");
        return ["http:", "https:"].includes(parsed.protocol) ? parsed.href : null;
    } catch {
        return null;
    }
}

function media(url) {
    // Local media URLs are site-relative; object storage gives absolute ones.
    return new URL(url, CMS + "/").href;
}

function pathOf(url) {
    if (!url) return "/";
    return new URL(url, CMS + "/").pathname;
}

function link(target) {
    // A link within this frontend, keeping ?api= so the reader stays on the same CMS.
    const url = new URL(window.location.pathname, window.location.origin);
    if (query.has("api")) url.searchParams.set("api", query.get("api"));
    for (const [name, value] of Object.entries(target)) {
        if (value && !(name === "path" && value === "/")) url.searchParams.set(name, value);
    }
    return url.pathname + url.search;
}

let timeZone;

function formatDate(iso) {
    const options = { dateStyle: "long", timeStyle: "short" };
    if (timeZone) options.timeZone = timeZone;
    try {
        return new Intl.DateTimeFormat(CONFIG.locale, options).format(new Date(iso));
    } catch {
        return iso;
    }
}

function dateline(iso) {
    return iso ? h("time", { datetime: iso }, formatDate(iso)) : null;
}

function picture(image, sizes = "(min-width: 48rem) 48rem, 100vw") {
    const srcset = (renditions) => renditions.map((r) => `${media(r.url)} ${r.width}w`).join(", ");
    const renditions = image.renditions || { webp: [], jpeg: [] };
    return h(
        "picture",
        {},
        renditions.webp.length ? h("source", { type: "image/webp", srcset: srcset(renditions.webp), sizes }) : null,
        h("img", {
            src: media(image.src),
            srcset: renditions.jpeg.length ? srcset(renditions.jpeg) : null,
            sizes,
            width: image.width,
            height: image.height,
            alt: image.alt || "",
            loading: "lazy",
        }),
    );
}

function figure(image, className) {
    const caption =
        image.caption || image.credit
            ? h(
                  "figcaption",
                  {},
                  image.caption ? h("span", { class: "caption" }, image.caption) : null,
                  image.caption && image.credit ? " " : null,
                  image.credit ? h("span", { class: "credit" }, `Image: ${image.credit}`) : null,
              )
            : null;
    return h("figure", { class: className }, picture(image), caption);
}

function byline(authors) {
    if (!authors || !authors.length) return null;
    const names = authors.map((author) => h("a", { href: link({ author: author.slug }), rel: "author" }, author.name));
    const parts = ["By "];
    names.forEach((name, index) => {
        if (index > 0) parts.push(index === names.length - 1 ? " and " : ", ");
        parts.push(name);
    });
    return h("p", { class: "byline" }, parts);
}

function card(article, headingLevel = "h3") {
    return h(
        "article",
        { class: "card" },
        article.lead_image ? picture(article.lead_image, "(min-width: 48rem) 20rem, 100vw") : null,
        h(headingLevel, { class: "card__title" }, h("a", { href: link({ path: article.url }) }, article.title)),
        article.standfirst ? h("p", { class: "card__standfirst" }, article.standfirst) : null,
        h("p", { class: "card__meta" }, dateline(article.publication_date)),
    );
}

// Body blocks ----------------------------------------------------------------------------

const BLOCKS = {
    paragraph: (value) => h("div", { class: "block block--paragraph", html: value }),
    heading: (value) => {
        const level = Math.min(Math.max(Number(value.level) || 2, 2), 6);
        return h(`h${level}`, { class: "block block--heading", id: value.anchor || null }, value.text);
    },
    quotation: (value) => {
        const source = value.source
            ? h("cite", {}, safeUrl(value.source_url) ? h("a", { href: safeUrl(value.source_url) }, value.source) : value.source)
            : null;
        const credit =
            value.attribution || source
                ? h("figcaption", {}, "— ", value.attribution || "", value.attribution && source ? ", " : "", source)
                : null;
        return h("figure", { class: "block block--quotation" }, h("blockquote", {}, h("p", {}, value.quote)), credit);
    },
    pull_quote: (value) =>
        h(
            "aside",
            { class: "block block--pull-quote" },
            h("p", { class: "pull-quote__text" }, value.text),
            value.attribution ? h("p", { class: "pull-quote__attribution" }, value.attribution) : null,
        ),
    image: (value) => (value.image ? figure(value.image, `block block--image align-${value.alignment || "full"}`) : null),
    embed: (value) =>
        h(
            "figure",
            { class: "block block--embed" },
            value.html
                ? h("div", { class: "embed", html: value.html })
                : safeUrl(value.url)
                  ? h("a", { href: safeUrl(value.url) }, value.url)
                  : null,
            value.caption ? h("figcaption", {}, value.caption) : null,
        ),
    list: (value) =>
        h(
            value.ordered ? "ol" : "ul",
            { class: "block block--list" },
            (value.items || []).map((item) => h("li", {}, item)),
        ),
    table: (value) =>
        h(
            "table",
            { class: "block block--table" },
            value.caption ? h("caption", {}, value.caption) : null,
            value.header ? h("thead", {}, h("tr", {}, value.header.map((cell) => h("th", { scope: "col" }, cell ?? "")))) : null,
            h("tbody", {}, (value.rows || []).map((row) => h("tr", {}, row.map((cell) => h("td", {}, cell ?? ""))))),
        ),
    separator: () => h("hr", { class: "block block--separator" }),
    fact_box: (value) =>
        h(
            "aside",
            { class: "block block--fact-box" },
            h("h2", { class: "fact-box__title" }, value.title),
            h("div", { class: "fact-box__body", html: value.body }),
        ),
    // null when the related article is not public (anymore).
    related_article: (value) =>
        value
            ? h(
                  "aside",
                  { class: "block block--related" },
                  h("p", {}, "Related: ", h("a", { href: link({ path: value.url }) }, value.title)),
              )
            : null,
};

function body(blocks) {
    return h(
        "div",
        { class: "article__body" },
        (blocks || []).map((block) => {
            const render = BLOCKS[block.type];
            // A plugin's block this frontend does not know is left out, not shown broken.
            return render ? render(block.value) : null;
        }),
    );
}

// Authors ----------------------------------------------------------------------------------

function authorBox(author, headingLevel = "h3") {
    const id = `author-${author.id}`;
    return h(
        "section",
        { class: "author-box", "aria-labelledby": id },
        author.portrait
            ? h("img", {
                  class: "author-box__portrait",
                  src: media(author.portrait.src),
                  alt: author.portrait.alt || "",
                  width: 96,
                  height: 96,
              })
            : null,
        h(headingLevel, { class: "author-box__name", id }, h("a", { href: link({ author: author.slug }) }, author.name)),
        author.role ? h("p", { class: "author-box__role" }, author.role) : null,
        author.bio ? h("div", { class: "author-box__bio", html: author.bio }) : h("p", { class: "author-box__bio" }, author.short_bio),
        author.links && author.links.length
            ? h(
                  "ul",
                  { class: "author-box__links" },
                  author.links
                      .filter((profile) => safeUrl(profile.url))
                      .map((profile) =>
                          h("li", {}, h("a", { href: safeUrl(profile.url), rel: profile.rel || null }, profile.label || profile.url)),
                      ),
              )
            : null,
    );
}

// Pages --------------------------------------------------------------------------------------

const main = () => document.getElementById("content");

function show(title, ...content) {
    const target = main();
    target.replaceChildren(...content.flat().filter(Boolean));
    document.title = title ? `${title} – ${siteName}` : siteName;
}

let siteName = "Byline";

async function showHome(site, draft) {
    const latest = await api("articles/", { limit: 9 });
    // The front page's lead story as the site data names it (a draft's own if it has one).
    let lead = (draft && draft.lead_story) || (site && site.lead_story) || latest.items[0] || null;
    const others = latest.items.filter((article) => !lead || article.id !== lead.id).slice(0, 8);
    const tagline = draft && "tagline" in draft ? draft.tagline : site && site.tagline;
    show(
        null,
        h("h1", { class: "visually-hidden" }, siteName),
        tagline ? h("p", { class: "home__tagline" }, tagline) : null,
        lead
            ? h(
                  "section",
                  { class: "lead-story", "aria-label": "Lead story" },
                  lead.lead_image ? figure(lead.lead_image, "lead-story__image") : null,
                  h("h2", { class: "lead-story__title" }, h("a", { href: link({ path: lead.url }) }, lead.title)),
                  h("p", { class: "lead-story__standfirst" }, lead.standfirst),
                  byline(lead.authors),
              )
            : h("p", {}, "Nothing is published yet."),
        others.length
            ? h("section", { class: "latest", "aria-labelledby": "latest-title" }, h("h2", { id: "latest-title" }, "Latest"), h("div", { class: "cards" }, others.map((a) => card(a))))
            : null,
    );
}

async function showSection(section) {
    const articles = await api("articles/", { section: section.id, limit: 20 });
    show(
        section.title,
        h("h1", { class: "section__title" }, section.title),
        section.introduction ? h("p", { class: "section__introduction" }, section.introduction) : null,
        articles.items.length
            ? h("div", { class: "cards" }, articles.items.map((article) => card(article, "h2")))
            : h("p", {}, "No articles in this section yet."),
    );
}

function showArticle(article) {
    show(
        article.title,
        h(
            "article",
            { class: "article" },
            h(
                "header",
                { class: "article__header" },
                article.section
                    ? h("p", { class: "article__section" }, h("a", { href: link({ path: article.section.url }) }, article.section.title))
                    : null,
                h("h1", { class: "headline" }, article.title),
                h("p", { class: "standfirst" }, article.standfirst),
                byline(article.authors),
                h("p", { class: "article__meta" }, dateline(article.publication_date), article.reading_time ? ` · ${article.reading_time} min read` : ""),
            ),
            article.lead_image ? figure(article.lead_image, "lead-image") : null,
            body(article.body),
            article.tags && article.tags.length
                ? h("ul", { class: "article__tags", "aria-label": "Tags" }, article.tags.map((tag) => h("li", {}, tag.name)))
                : null,
            article.authors && article.authors.length
                ? h("footer", { class: "article__authors" }, h("h2", {}, article.authors.length > 1 ? "About the authors" : "About the author"), article.authors.map((a) => authorBox(a)))
                : null,
        ),
    );
}

async function showAuthor(slug) {
    const authors = await api("authors/", { slug });
    const author = authors.items[0];
    if (!author) throw new APIError(404, "There is no such author.");
    const articles = await api("articles/", { author: slug, limit: 20 });
    show(
        author.name,
        authorBox(author, "h1"),
        h("h2", {}, "Articles"),
        h("div", { class: "cards" }, articles.items.map((article) => card(article))),
    );
}

function showPage(page, site, { draft = false } = {}) {
    switch (page.meta && page.meta.type) {
        case "home.HomePage":
            return showHome(site, draft ? page : null);
        case "news.NewsIndexPage":
            return showSection(page);
        case "news.ArticlePage":
            return showArticle(page);
        default:
            return show(page.title, h("h1", {}, page.title));
    }
}

async function showPreview(token, site) {
    document.querySelector(".preview-banner").hidden = false;
    return showPage(await api("preview/", { token }), site, { draft: true });
}

function showError(error) {
    const status = error instanceof APIError ? error.status : 0;
    let message = "The paper could not be loaded. Is the API address right, and is this origin allowed (CORS)?";
    if (status === 404) message = "There is no such page.";
    if (query.has("preview_token") && (status === 401 || status === 403)) {
        message = `This preview cannot be shown: ${error.message} Open the preview again in the Wagtail admin.`;
    }
    show("Not available", h("h1", {}, "Not available"), h("p", { class: "error", role: "alert" }, message));
}

function renderMasthead(site) {
    if (!site) return;
    siteName = site.name || siteName;
    timeZone = site.time_zone || undefined;
    const name = document.querySelector(".masthead__name a");
    name.textContent = siteName;
    name.href = link({});
    const items = (site.navigation || []).map((section) => h("li", {}, h("a", { href: link({ path: section.url || pathOf(section.html_url) }) }, section.title)));
    document.querySelector(".masthead__nav ul").replaceChildren(...items);
}

// Wagtail's preview panel reloads this page in a new iframe after each change
// and asks the old one for its scroll position through postMessage; answering
// keeps the editor's place in a long article.
function joinPreviewPanel() {
    if (window.parent === window) return;
    window.addEventListener("message", (event) => {
        if (event.source !== window.parent) return;
        const message = event.data && event.data.wagtail;
        if (!message) return;
        if (message.type === "w-preview:get-scroll-position") {
            const answer = { type: "w-preview:set-scroll-position", x: window.scrollX, y: window.scrollY, origin: window.location.origin };
            window.parent.postMessage({ wagtail: answer }, event.origin);
        } else if (message.type === "w-preview:set-scroll-position") {
            window.scrollTo({ left: message.x, top: message.y, behavior: "instant" });
        }
    });
    window.parent.postMessage({ wagtail: { type: "w-preview:request-scroll", origin: window.location.origin } }, "*");
}

async function start() {
    const site = await siteData();
    renderMasthead(site);
    try {
        if (query.has("preview_token")) {
            await showPreview(query.get("preview_token"), site);
        } else if (query.has("author")) {
            await showAuthor(query.get("author"));
        } else {
            const page = await api("pages/find/", { html_path: query.get("path") || "/" });
            await showPage(page, site);
        }
    } catch (error) {
        showError(error);
    }
    document.body.dataset.ready = "true";
    joinPreviewPanel();
}

start();
