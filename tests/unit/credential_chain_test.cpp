// The credential chain's roles and SSO, against botocore's rules: which provider a profile
// names, what a role step carries, and the errors of a broken configuration.
#include "protocol/credential_chain.hpp"
#include "protocol/sso.hpp"
#include "protocol/sts.hpp"

#include "config_fixture.hpp"

using namespace s3purge::protocol;

namespace {

ConfigFlags profile(const std::string& name) {
  ConfigFlags f;
  f.profile = name;
  return f;
}

constexpr const char* kKeys = "aws_access_key_id = SRCKEY\naws_secret_access_key = srcsecret\n";

}  // namespace

TEST_F(ConfigResolverTest, RoleFromASourceProfileCarriesItsSettings) {
  write(".aws/credentials", std::string("[src]\n") + kKeys);
  write(".aws/config", "[profile job]\nrole_arn = arn:aws:iam::1:role/purger\nsource_profile = src\n"
                       "external_id = ext-7\nduration_seconds = 3600\nrole_session_name = nightly\nregion = eu-west-1\n");
  auto c = resolve(profile("job"));
  ASSERT_TRUE(c) << c.error().describe();
  const auto& plan = c->credential_plan;
  EXPECT_EQ(plan.method(), "assume-role");
  EXPECT_EQ(plan.base, CredentialProvider::shared_credentials_file);
  EXPECT_EQ(plan.keys.access_key_id, "SRCKEY");
  ASSERT_EQ(plan.roles.size(), 1u);
  EXPECT_EQ(plan.roles[0].role_arn, "arn:aws:iam::1:role/purger");
  EXPECT_EQ(plan.roles[0].external_id, "ext-7");
  EXPECT_EQ(plan.roles[0].duration_seconds, 3600);
  EXPECT_EQ(plan.roles[0].session_name, "nightly");
  EXPECT_EQ(plan.roles[0].sts_url, "https://sts.eu-west-1.amazonaws.com");
  EXPECT_TRUE(plan.fetched());
  EXPECT_NE(c->credentials_source.find("role arn:aws:iam::1:role/purger of profile 'job'"), std::string::npos);

  const auto r = assume_role_request(plan.roles[0]);
  EXPECT_EQ(r.body, "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fpurger"
                    "&RoleSessionName=nightly&ExternalId=ext-7&DurationSeconds=3600");
}

TEST_F(ConfigResolverTest, RolesChainThroughSourceProfiles) {
  write(".aws/config", std::string("[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n"
                                   "[profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = c\n"
                                   "[profile c]\n") + kKeys);
  auto c = resolve(profile("a"));
  ASSERT_TRUE(c) << c.error().describe();
  ASSERT_EQ(c->credential_plan.roles.size(), 2u);
  EXPECT_EQ(c->credential_plan.roles[0].role_arn, "arn:aws:iam::1:role/b");  // assumed first
  EXPECT_EQ(c->credential_plan.roles[1].role_arn, "arn:aws:iam::1:role/a");
  EXPECT_EQ(c->credential_plan.base, CredentialProvider::config_file);

  // A profile may name itself when it holds the keys: they are the source.
  write(".aws/config", std::string("[profile self]\nrole_arn = arn:aws:iam::1:role/s\nsource_profile = self\n") + kKeys);
  c = resolve(profile("self"));
  ASSERT_TRUE(c) << c.error().describe();
  EXPECT_EQ(c->credential_plan.roles.size(), 1u);
  EXPECT_EQ(c->credential_plan.keys.access_key_id, "SRCKEY");

  // A source profile with keys and a role of its own: its keys, as botocore.
  write(".aws/config", std::string("[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n"
                                   "[profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = c\n") + kKeys);
  c = resolve(profile("a"));
  ASSERT_TRUE(c) << c.error().describe();
  EXPECT_EQ(c->credential_plan.roles.size(), 1u);
}

TEST_F(ConfigResolverTest, BrokenRoleSettingsAreErrorsNamingTheSetting) {
  auto error_of = [&](const std::string& config, const std::string& name = "a") {
    write(".aws/config", config);
    auto c = resolve(profile(name));
    return c ? std::string("resolved") : c.error().message;
  };
  EXPECT_NE(error_of("[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = b\n"
                     "[profile b]\nrole_arn = arn:aws:iam::1:role/b\nsource_profile = a\n")
                .find("loop: a -> b -> a"),
            std::string::npos);
  EXPECT_NE(error_of("[profile a]\nrole_arn = arn:aws:iam::1:role/a\nsource_profile = a\n").find("loop"),
            std::string::npos);
  EXPECT_NE(error_of("[profile a]\nrole_arn = arn:aws:iam::1:role/a\n").find("neither source_profile nor credential_source"),
            std::string::npos);
  EXPECT_NE(error_of("[profile a]\nrole_arn = r\nsource_profile = b\ncredential_source = Environment\n[profile b]\n")
                .find("both source_profile and credential_source"),
            std::string::npos);
  EXPECT_NE(error_of("[profile a]\nrole_arn = r\nsource_profile = nowhere\n").find("source_profile 'nowhere'"),
            std::string::npos);
  EXPECT_NE(error_of("[profile a]\nrole_arn = r\ncredential_source = Ec2\n").find("not one of Environment"),
            std::string::npos);
  EXPECT_NE(error_of(std::string("[profile a]\nrole_arn = r\nsource_profile = a\nduration_seconds = 60\n") + kKeys)
                .find("duration_seconds '60'"),
            std::string::npos);
  EXPECT_NE(error_of("[profile a]\nrole_arn = r\nsource_profile = b\n[profile b]\nregion = x\n")
                .find("source_profile 'b' has no credentials"),
            std::string::npos);
  const auto mfa = error_of(std::string("[profile a]\nrole_arn = r\nsource_profile = a\nmfa_serial = arn:mfa\n") + kKeys);
  EXPECT_NE(mfa.find("MFA"), std::string::npos) << mfa;
  EXPECT_NE(mfa.find("export-credentials --profile a"), std::string::npos) << mfa;
}

TEST_F(ConfigResolverTest, CredentialSourceNamesTheEnvironmentOrARoleEndpoint) {
  write(".aws/config", "[profile a]\nrole_arn = arn:aws:iam::1:role/a\ncredential_source = Environment\n");
  EXPECT_FALSE(resolve(profile("a")));  // no keys in the environment
  env_["AWS_ACCESS_KEY_ID"] = "ENVKEY";
  env_["AWS_SECRET_ACCESS_KEY"] = "es";
  auto c = resolve(profile("a"));
  ASSERT_TRUE(c) << c.error().describe();
  EXPECT_EQ(c->credential_plan.base, CredentialProvider::environment);
  EXPECT_EQ(c->credential_plan.method(), "assume-role");
  write(".aws/config", "[profile a]\nrole_arn = arn:aws:iam::1:role/a\ncredential_source = EcsContainer\n");
  env_["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = "http://127.0.0.1:1/creds";
  c = resolve(profile("a"));
  ASSERT_TRUE(c) << c.error().describe();
  EXPECT_EQ(c->credential_plan.base, CredentialProvider::container);
  write(".aws/config", "[profile a]\nrole_arn = arn:aws:iam::1:role/a\ncredential_source = Ec2InstanceMetadata\n");
  c = resolve(profile("a"));
  ASSERT_TRUE(c) << c.error().describe();
  EXPECT_EQ(c->credential_plan.base, CredentialProvider::instance_metadata);
}

// botocore: the role provider before web identity; web identity's settings each from the
// environment first (unless --profile), then from the profile.
TEST_F(ConfigResolverTest, RoleBeforeWebIdentityAndTheEnvironmentPerSetting) {
  write(".aws/config", std::string("[default]\nrole_arn = arn:aws:iam::1:role/d\nsource_profile = default\n") + kKeys +
                           "[profile w]\nrole_arn = arn:aws:iam::1:role/w\nweb_identity_token_file = /tok\n");
  env_["AWS_ROLE_ARN"] = "arn:aws:iam::1:role/env";
  env_["AWS_WEB_IDENTITY_TOKEN_FILE"] = "/env-token";
  auto c = resolve();
  ASSERT_TRUE(c) << c.error().describe();
  EXPECT_EQ(c->credential_plan.method(), "assume-role");
  env_["AWS_PROFILE"] = "w";
  c = resolve();
  ASSERT_TRUE(c) << c.error().describe();
  EXPECT_EQ(c->credential_plan.web_identity->role_arn, "arn:aws:iam::1:role/env");
  EXPECT_EQ(c->credential_plan.web_identity->token_file, "/env-token");
  c = resolve(profile("w"));  // --profile: the environment's role is not used
  ASSERT_TRUE(c) << c.error().describe();
  EXPECT_EQ(c->credential_plan.web_identity->role_arn, "arn:aws:iam::1:role/w");
  EXPECT_EQ(c->credential_plan.web_identity->token_file, "/tok");
}

TEST_F(ConfigResolverTest, SsoSessionAndLegacyProfiles) {
  write(".aws/config",
        "[profile new]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Purger\n"
        "[sso-session corp]\nsso_start_url = https://d-abc.awsapps.com/start\nsso_region = eu-central-1\n"
        "[profile old]\nsso_start_url = https://d-abc.awsapps.com/start\nsso_region = us-east-2\n"
        "sso_account_id = 111122223333\nsso_role_name = Purger\n"
        "[profile partial]\nsso_start_url = https://d-abc.awsapps.com/start\nsso_role_name = Purger\n"
        "[profile lost]\nsso_session = gone\nsso_account_id = 1\nsso_role_name = r\n"
        "[profile clash]\nsso_session = corp\nsso_region = us-west-2\nsso_account_id = 1\nsso_role_name = r\n");
  auto c = resolve(profile("new"));
  ASSERT_TRUE(c) << c.error().describe();
  ASSERT_TRUE(c->credential_plan.sso);
  const SsoRole& role = *c->credential_plan.sso;
  EXPECT_EQ(c->credential_plan.method(), "sso");
  EXPECT_EQ(role.region, "eu-central-1");
  EXPECT_EQ(role.portal_url, "https://portal.sso.eu-central-1.amazonaws.com");
  EXPECT_EQ(role.cache_file, path(".aws/sso/cache/ee0bfd2552fbd840c02cc48b6e823320543c450f.json"));  // sha1("corp")
  const auto r = get_role_credentials_request(role, "tok");
  EXPECT_EQ(r.target(), "/federation/credentials?account_id=111122223333&role_name=Purger");
  EXPECT_EQ(r.headers.get("x-amz-sso_bearer_token"), "tok");

  env_["AWS_ENDPOINT_URL_SSO"] = "http://127.0.0.1:9";
  c = resolve(profile("old"));
  ASSERT_TRUE(c) << c.error().describe();
  EXPECT_EQ(c->credential_plan.sso->portal_url, "http://127.0.0.1:9");
  EXPECT_EQ(c->credential_plan.sso->cache_file,
            path(".aws/sso/cache/22f00c6461897f7c3e293d9d99f86e5efed957dd.json"));  // sha1 of the start URL

  auto partial = resolve(profile("partial"));
  ASSERT_FALSE(partial);
  EXPECT_NE(partial.error().message.find("lacks sso_region, sso_account_id"), std::string::npos);
  auto lost = resolve(profile("lost"));
  ASSERT_FALSE(lost);
  EXPECT_NE(lost.error().message.find("no [sso-session gone]"), std::string::npos);
  auto clash = resolve(profile("clash"));
  ASSERT_FALSE(clash);
  EXPECT_NE(clash.error().message.find("disagree on sso_region"), std::string::npos);
}

TEST_F(ConfigResolverTest, KeyFlagsWinAndComeInPairs) {
  write(".aws/credentials", "[default]\n" + std::string(kKeys));
  env_["AWS_ACCESS_KEY_ID"] = "ENVKEY";
  env_["AWS_SECRET_ACCESS_KEY"] = "es";
  ConfigFlags f;
  f.access_key_id = "FLAGKEY";
  f.secret_access_key = "fs";
  f.session_token = "ft";
  auto c = resolve(f);
  ASSERT_TRUE(c) << c.error().describe();
  EXPECT_EQ(c->credential_plan.method(), "explicit");
  EXPECT_EQ(c->credentials.session_token, "ft");
  f.secret_access_key.reset();
  auto partial = resolve(f);
  ASSERT_FALSE(partial);
  EXPECT_NE(partial.error().message.find("--access-key-id but not --secret-access-key"), std::string::npos);
  f.access_key_id.reset();
  auto token_only = resolve(f);
  ASSERT_FALSE(token_only);
  EXPECT_NE(token_only.error().message.find("--session-token needs"), std::string::npos);
}

TEST(Sts, AssumeRoleAnswersAndRefusals) {
  auto ok = parse_sts_credentials("AssumeRole", 200,
                                  "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIA</AccessKeyId>"
                                  "<SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken>"
                                  "<Expiration>2030-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleResult>"
                                  "</AssumeRoleResponse>");
  ASSERT_TRUE(ok) << ok.error().describe();
  EXPECT_EQ(ok->credentials.access_key_id, "ASIA");
  // Another action's answer is not this one's.
  EXPECT_FALSE(parse_sts_credentials("AssumeRoleWithWebIdentity", 200,
                                     "<AssumeRoleResponse><AssumeRoleResult><Credentials><AccessKeyId>ASIA</AccessKeyId>"
                                     "<SecretAccessKey>s</SecretAccessKey><Expiration>2030-01-01T00:00:00Z</Expiration>"
                                     "</Credentials></AssumeRoleResult></AssumeRoleResponse>"));
  auto denied = parse_sts_credentials("AssumeRole", 403,
                                      "<ErrorResponse><Error><Code>AccessDenied</Code><Message>not trusted</Message>"
                                      "</Error></ErrorResponse>");
  ASSERT_FALSE(denied);
  EXPECT_EQ(denied.error().s3_code, "AccessDenied");
  EXPECT_NE(denied.error().message.find("not trusted"), std::string::npos);
}
