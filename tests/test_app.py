"""The web application answers /healthz with the state of Neo4j."""

from starlette.testclient import TestClient

from crn.app import create_app


def test_healthz_reports_neo4j_ok(graph):
    with TestClient(create_app()) as client:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "neo4j": True}
