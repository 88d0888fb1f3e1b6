from tests.support.helpers import login


def test_login_then_dashboard_shows_roles(client, make_user):
    make_user("reviewer1", roles=["reviewer"])
    response = login(client, "reviewer1")
    assert response.status_code == 302
    page = client.get("/").get_data(as_text=True)
    assert "reviewer1" in page
