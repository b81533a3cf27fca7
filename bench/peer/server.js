// The peer of bench/compare: the Neo4j GraphQL Library (@neo4j/graphql) over
// the same Neo4j as psmgraph, served by GraphQL Yoga. The type definitions
// come from bench/internal/peerschema, in the file TYPEDEFS names.
//
//   NEO4J_URI=bolt://127.0.0.1:7687 PORT=4000 TYPEDEFS=typedefs.graphql node server.js
//
// GET /stats answers {"queries": n}: the Cypher queries the library has run,
// counted at the driver, so that the benchmark reports queries per request
// as measured rather than as documented.
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import { Neo4jGraphQL } from "@neo4j/graphql";
import { createYoga } from "graphql-yoga";
import neo4j from "neo4j-driver";

const { NEO4J_URI, NEO4J_USERNAME = "neo4j", NEO4J_PASSWORD, PORT = "4000", TYPEDEFS } = process.env;
const auth = NEO4J_PASSWORD ? neo4j.auth.basic(NEO4J_USERNAME, NEO4J_PASSWORD) : neo4j.auth.none();
const driver = neo4j.driver(NEO4J_URI, auth);

let queries = 0;
countQueries(driver);

const typeDefs = readFileSync(TYPEDEFS, "utf8");
const schema = await new Neo4jGraphQL({ typeDefs, driver }).getSchema();
// Errors unmasked: the benchmark reports why a request failed.
const yoga = createYoga({ schema, logging: false, graphiql: false, maskedErrors: false });

const server = createServer((req, res) => {
  if (req.url === "/stats") {
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ queries }));
    return;
  }
  yoga(req, res);
});
server.listen(Number(PORT), "127.0.0.1", () => console.log(`peer ready on ${PORT}`));

for (const signal of ["SIGTERM", "SIGINT"]) {
  process.on(signal, async () => {
    server.close();
    await driver.close();
    process.exit(0);
  });
}

// countQueries counts every query run through the driver's sessions, in
// transaction functions or not.
function countQueries(driver) {
  const session = driver.session.bind(driver);
  driver.session = (config) => {
    const s = session(config);
    for (const method of ["executeRead", "executeWrite"]) {
      const execute = s[method].bind(s);
      s[method] = (work, txConfig) =>
        execute((tx) => {
          const run = tx.run.bind(tx);
          tx.run = (...args) => {
            queries++;
            return run(...args);
          };
          return work(tx);
        }, txConfig);
    }
    const run = s.run.bind(s);
    s.run = (...args) => {
      queries++;
      return run(...args);
    };
    return s;
  };
}
