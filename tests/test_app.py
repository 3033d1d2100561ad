"""The web application answers /healthz with the state of Neo4j."""

from starlette.testclient import TestClient

from crn.app import create_app


def test_healthz_reports_neo4j_ok(graph):
    with TestClient(create_app()) as client:
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "neo4j": True}


def test_livez_answers_without_the_database():
    with TestClient(create_app(), client=("127.0.0.1", 1)) as client:
        response = client.get("/livez")
    assert response.status_code == 200 and response.json() == {"status": "alive"}
    assert response.headers["x-request-id"]
