// Configuration resolution against the AWS CLI's documented precedence, with real
// temporary files read through the real file reader and an environment given per test.
#include "protocol/config_resolver.hpp"
#include "protocol/credential_endpoints.hpp"
#include "protocol/sts.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include "protocol/system_environment.hpp"
#include "config_fixture.hpp"

using namespace s3purge::protocol;
namespace fs = std::filesystem;


TEST_F(ConfigResolverTest, EnvironmentCredentialsBeatFiles) {
  write(".aws/credentials", "[default]\naws_access_key_id = FILEKEY\naws_secret_access_key = fs\n");
  env_["AWS_ACCESS_KEY_ID"] = "ENVKEY";
  env_["AWS_SECRET_ACCESS_KEY"] = "es";
  env_["AWS_SESSION_TOKEN"] = "et";
  auto c = resolve();
  ASSERT_TRUE(c) << c.error().describe();
  EXPECT_EQ(c->credentials.access_key_id, "ENVKEY");
  EXPECT_EQ(c->credentials.session_token, "et");
  EXPECT_EQ(c->credentials_source, "the environment");
}

TEST_F(ConfigResolverTest, FlagsBeatEnvironment) {
  env_["AWS_ACCESS_KEY_ID"] = "ENVKEY";
  env_["AWS_SECRET_ACCESS_KEY"] = "es";
  ConfigFlags f;
  f.access_key_id = "FLAGKEY";
  f.secret_access_key = "fs";
  auto c = resolve(f);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->credentials.access_key_id, "FLAGKEY");
}

TEST_F(ConfigResolverTest, ExplicitProfileFlagNegatesEnvironmentKeys) {
  write(".aws/credentials", "[work]\naws_access_key_id = WORKKEY\naws_secret_access_key = ws\n");
  env_["AWS_ACCESS_KEY_ID"] = "ENVKEY";
  env_["AWS_SECRET_ACCESS_KEY"] = "es";
  ConfigFlags f;
  f.profile = "work";
  auto c = resolve(f);
  ASSERT_TRUE(c) << c.error().describe();
  EXPECT_EQ(c->credentials.access_key_id, "WORKKEY");
  EXPECT_EQ(c->profile, "work");
}

TEST_F(ConfigResolverTest, AwsProfileVariableDoesNotNegateEnvironmentKeys) {
  write(".aws/credentials", "[work]\naws_access_key_id = WORKKEY\naws_secret_access_key = ws\n");
  env_["AWS_PROFILE"] = "work";
  env_["AWS_ACCESS_KEY_ID"] = "ENVKEY";
  env_["AWS_SECRET_ACCESS_KEY"] = "es";
  auto c = resolve();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->credentials.access_key_id, "ENVKEY") << "botocore keeps the EnvProvider here";
}

TEST_F(ConfigResolverTest, CredentialsFileBeatsConfigFile) {
  write(".aws/credentials", "[default]\naws_access_key_id = CREDKEY\naws_secret_access_key = cs\n");
  write(".aws/config", "[default]\naws_access_key_id = CFGKEY\naws_secret_access_key = cfs\n");
  auto c = resolve();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->credentials.access_key_id, "CREDKEY");
  EXPECT_EQ(c->credentials_source, "shared credentials file " + path(".aws/credentials") + " [default]");
}

TEST_F(ConfigResolverTest, ConfigFileCredentialsUnderProfilePrefix) {
  write(".aws/config",
        "[profile dev]\naws_access_key_id = DEVKEY\naws_secret_access_key = ds\n"
        "aws_session_token = dt\nregion = eu-west-3\n");
  env_["AWS_PROFILE"] = "dev";
  auto c = resolve();
  ASSERT_TRUE(c) << c.error().describe();
  EXPECT_EQ(c->credentials.access_key_id, "DEVKEY");
  EXPECT_EQ(c->credentials.session_token, "dt");
  EXPECT_EQ(c->region, "eu-west-3");
}

TEST_F(ConfigResolverTest, PartialEnvironmentCredentialsNameWhatIsMissing) {
  env_["AWS_ACCESS_KEY_ID"] = "ENVKEY";
  auto c = resolve();
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, client_errc::partial_credentials);
  EXPECT_NE(c.error().message.find("AWS_SECRET_ACCESS_KEY"), std::string::npos);
}

TEST_F(ConfigResolverTest, PartialFileCredentialsNameTheFile) {
  write(".aws/credentials", "[default]\naws_secret_access_key = only-secret\n");
  auto c = resolve();
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, client_errc::partial_credentials);
  EXPECT_NE(c.error().message.find(path(".aws/credentials")), std::string::npos);
  EXPECT_NE(c.error().message.find("aws_access_key_id"), std::string::npos);
  EXPECT_EQ(c.error().message.find("only-secret"), std::string::npos) << "never print secrets";
}

TEST_F(ConfigResolverTest, MissingCredentialsSaysWhereItLooked) {
  env_["AWS_EC2_METADATA_DISABLED"] = "true";
  auto c = resolve();
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, client_errc::missing_credentials);
  EXPECT_NE(c.error().message.find("AWS_ACCESS_KEY_ID"), std::string::npos);
  EXPECT_NE(c.error().message.find(path(".aws/credentials") + " (absent)"), std::string::npos);
  EXPECT_NE(c.error().message.find(path(".aws/config")), std::string::npos);
}

TEST_F(ConfigResolverTest, NamedProfileThatDoesNotExist) {
  write(".aws/credentials", "[default]\naws_access_key_id = K\naws_secret_access_key = S\n");
  ConfigFlags f;
  f.profile = "nope";
  auto c = resolve(f);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, client_errc::profile_not_found);
  EXPECT_NE(c.error().message.find("'nope'"), std::string::npos);
  EXPECT_NE(c.error().message.find("[profile nope]"), std::string::npos);
}

// As botocore's chain: shared credentials file, then the config file's credential_process,
// then the config file's keys.
TEST_F(ConfigResolverTest, CredentialProcessBetweenTheCredentialsFileAndConfigKeys) {
  write(".aws/config",
        "[profile proc]\ncredential_process = /usr/bin/helper --role x\n"
        "aws_access_key_id = CFGKEY\naws_secret_access_key = cfs\n");
  ConfigFlags f;
  f.profile = "proc";
  auto c = resolve(f);
  ASSERT_TRUE(c) << c.error().describe();
  EXPECT_EQ(c->credential_plan.process, "/usr/bin/helper --role x");
  EXPECT_EQ(c->credential_plan.method(), "custom-process");
  EXPECT_TRUE(c->credentials.access_key_id.empty());
  EXPECT_EQ(c->credentials_source, "credential_process of " + path(".aws/config") + " [profile proc]");
  write(".aws/credentials", "[proc]\naws_access_key_id = CREDKEY\naws_secret_access_key = cs\n");
  c = resolve(f);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->credential_plan.method(), "shared-credentials-file");
  EXPECT_EQ(c->credentials.access_key_id, "CREDKEY");
}

// Last, as in botocore: the container's role, then the instance's.
TEST_F(ConfigResolverTest, RoleEndpointsComeLast) {
  auto c = resolve();
  ASSERT_TRUE(c) << c.error().describe();
  EXPECT_EQ(c->credential_plan.base, CredentialProvider::instance_metadata);
  EXPECT_EQ(c->credentials_source, "instance metadata http://169.254.169.254");
  env_["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] = "/v2/credentials/abc";
  c = resolve();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->credential_plan.base, CredentialProvider::container);
  EXPECT_EQ(c->credentials_source, "container credentials http://169.254.170.2/v2/credentials/abc");
  env_["AWS_ACCESS_KEY_ID"] = "AKID";
  env_["AWS_SECRET_ACCESS_KEY"] = "s";
  c = resolve();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->credential_plan.base, CredentialProvider::environment);
}

TEST_F(ConfigResolverTest, ContainerFullUriOverHttpOnlyToThisMachineOrTheLinkLocalHost) {
  auto env = [](std::map<std::string, std::string> vars) {
    return [vars](std::string_view name) -> std::optional<std::string> {
      const auto it = vars.find(std::string(name));
      return it == vars.end() ? std::nullopt : std::optional<std::string>(it->second);
    };
  };
  for (const char* ok : {"http://127.0.0.1:51679/creds", "http://169.254.170.23/v1/credentials",
                         "https://creds.example.com/x?y=1"}) {
    auto at = container_credentials_endpoint(env({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", ok},
                                                   {"AWS_CONTAINER_AUTHORIZATION_TOKEN", "t"}}));
    ASSERT_TRUE(at && *at) << ok;
    EXPECT_EQ((*at)->url, ok);
    EXPECT_EQ((*at)->authorization, "t");
  }
  auto refused = container_credentials_endpoint(env({{"AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://example.com/c"}}));
  ASSERT_FALSE(refused);
  EXPECT_NE(refused.error().message.find("loopback"), std::string::npos);
  auto imds = instance_metadata_endpoint(env({{"AWS_EC2_METADATA_DISABLED", "TRUE"}}));
  ASSERT_TRUE(imds);
  EXPECT_FALSE(*imds);
}

// EKS's IRSA: after the environment's keys, before the files; STS as botocore finds it.
TEST_F(ConfigResolverTest, WebIdentityFromTheEnvironmentOrTheProfile) {
  write(".aws/credentials", "[default]\naws_access_key_id = CREDKEY\naws_secret_access_key = cs\n");
  env_["AWS_ROLE_ARN"] = "arn:aws:iam::1:role/r";
  env_["AWS_WEB_IDENTITY_TOKEN_FILE"] = "/var/run/secrets/token";
  env_["AWS_REGION"] = "eu-west-1";
  auto c = resolve();
  ASSERT_TRUE(c) << c.error().describe();
  ASSERT_EQ(c->credential_plan.base, CredentialProvider::web_identity);
  EXPECT_EQ(c->credential_plan.web_identity->role_arn, "arn:aws:iam::1:role/r");
  EXPECT_EQ(c->credential_plan.web_identity->sts_url, "https://sts.eu-west-1.amazonaws.com");
  env_["AWS_STS_REGIONAL_ENDPOINTS"] = "legacy";
  EXPECT_EQ(resolve()->credential_plan.web_identity->sts_url, "https://sts.amazonaws.com");
  env_["AWS_ENDPOINT_URL_STS"] = "http://127.0.0.1:9000";
  EXPECT_EQ(resolve()->credential_plan.web_identity->sts_url, "http://127.0.0.1:9000");
  env_["AWS_ACCESS_KEY_ID"] = "ENVKEY";
  env_["AWS_SECRET_ACCESS_KEY"] = "es";
  EXPECT_EQ(resolve()->credentials.access_key_id, "ENVKEY");
  env_.erase("AWS_ROLE_ARN");
  env_.erase("AWS_ACCESS_KEY_ID");
  env_.erase("AWS_SECRET_ACCESS_KEY");
  auto partial = resolve();
  ASSERT_FALSE(partial);
  EXPECT_NE(partial.error().message.find("AWS_ROLE_ARN"), std::string::npos);
  env_.erase("AWS_WEB_IDENTITY_TOKEN_FILE");
  write(".aws/config", "[profile irsa]\nrole_arn = arn:aws:iam::2:role/p\nweb_identity_token_file = ~/token\n"
                       "role_session_name = job-7\n");
  ConfigFlags f;
  f.profile = "irsa";
  c = resolve(f);
  ASSERT_TRUE(c) << c.error().describe();
  EXPECT_EQ(c->credential_plan.web_identity->token_file, home_.string() + "/token");
  EXPECT_EQ(c->credential_plan.web_identity->session_name, "job-7");
}

TEST(Sts, AssumeRoleWithWebIdentityRequestAndAnswers) {
  const auto r = assume_role_with_web_identity_request({"arn:aws:iam::1:role/r", "", "s", ""}, "tok+en/=");
  EXPECT_EQ(r.method, "POST");
  EXPECT_EQ(r.body, "Action=AssumeRoleWithWebIdentity&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A1%3Arole%2Fr"
                    "&RoleSessionName=s&WebIdentityToken=tok%2Ben%2F%3D");
  auto ok = parse_sts_credentials(
      "AssumeRoleWithWebIdentity", 200, "<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult><Credentials>"
           "<AccessKeyId>ASIA</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken>"
           "<Expiration>2030-01-01T00:00:00Z</Expiration></Credentials></AssumeRoleWithWebIdentityResult>"
           "</AssumeRoleWithWebIdentityResponse>");
  ASSERT_TRUE(ok) << ok.error().describe();
  EXPECT_EQ(ok->credentials.session_token, "t");
  auto refused = parse_sts_credentials(
      "AssumeRoleWithWebIdentity", 400, "<ErrorResponse><Error><Type>Sender</Type><Code>InvalidIdentityToken</Code><Message>no</Message></Error>"
           "</ErrorResponse>");
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error().s3_code, "InvalidIdentityToken");
  EXPECT_FALSE(parse_sts_credentials("AssumeRoleWithWebIdentity", 200, "<Other/>"));
  EXPECT_FALSE(parse_sts_credentials("AssumeRoleWithWebIdentity", 200, "<AssumeRole"));
}

TEST_F(ConfigResolverTest, RegionPrecedence) {
  write(".aws/config", "[default]\nregion = from-profile\n");
  env_["AWS_ACCESS_KEY_ID"] = "K";
  env_["AWS_SECRET_ACCESS_KEY"] = "S";
  EXPECT_EQ(resolve()->region, "from-profile");
  env_["AWS_DEFAULT_REGION"] = "from-default-env";
  EXPECT_EQ(resolve()->region, "from-default-env");
  env_["AWS_REGION"] = "from-region-env";
  EXPECT_EQ(resolve()->region, "from-region-env");
  ConfigFlags f;
  f.region = "from-flag";
  EXPECT_EQ(resolve(f)->region, "from-flag");
  EXPECT_EQ(resolve(f)->region_source, "--region");
  fs::remove(home_ / ".aws/config");
  env_.erase("AWS_REGION");
  env_.erase("AWS_DEFAULT_REGION");
  EXPECT_EQ(resolve()->region, "us-east-1");
  EXPECT_EQ(resolve()->endpoint.url(), "https://s3.us-east-1.amazonaws.com");
  EXPECT_FALSE(resolve()->custom_endpoint);
}

TEST_F(ConfigResolverTest, EndpointPrecedence) {
  write(".aws/config",
        "[default]\nendpoint_url = http://profile-global:1\nservices = svc\n"
        "s3 =\n  endpoint_url = http://profile-nested:2\n"
        "[services svc]\ns3 =\n  endpoint_url = http://services-section:3\n");
  env_["AWS_ACCESS_KEY_ID"] = "K";
  env_["AWS_SECRET_ACCESS_KEY"] = "S";
  EXPECT_EQ(resolve()->endpoint.host, "profile-nested");
  env_["AWS_ENDPOINT_URL"] = "http://env-global:4";
  EXPECT_EQ(resolve()->endpoint.host, "env-global");
  env_["AWS_ENDPOINT_URL_S3"] = "http://env-s3:5";
  EXPECT_EQ(resolve()->endpoint.host, "env-s3");
  ConfigFlags f;
  f.endpoint_url = "https://flag:6";
  EXPECT_EQ(resolve(f)->endpoint.host, "flag");
  EXPECT_TRUE(resolve(f)->custom_endpoint);
  env_["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"] = "true";
  EXPECT_EQ(resolve(f)->endpoint.host, "flag") << "the flag is never ignored";
  EXPECT_FALSE(resolve()->custom_endpoint);
}

TEST_F(ConfigResolverTest, ServicesSectionThenProfileEndpoint) {
  write(".aws/config",
        "[default]\nendpoint_url = http://profile-global:1\nservices = svc\n"
        "[services svc]\ns3 =\n  endpoint_url = http://services-section:3\n");
  env_["AWS_ACCESS_KEY_ID"] = "K";
  env_["AWS_SECRET_ACCESS_KEY"] = "S";
  EXPECT_EQ(resolve()->endpoint.host, "services-section");
  write(".aws/config", "[default]\nendpoint_url = http://profile-global:1\n");
  EXPECT_EQ(resolve()->endpoint.host, "profile-global");
}

TEST_F(ConfigResolverTest, BadEndpointNamesItsSource) {
  env_["AWS_ACCESS_KEY_ID"] = "K";
  env_["AWS_SECRET_ACCESS_KEY"] = "S";
  env_["AWS_ENDPOINT_URL"] = "cwobject.com";
  auto c = resolve();
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, client_errc::invalid_endpoint);
  EXPECT_NE(c.error().message.find("AWS_ENDPOINT_URL"), std::string::npos);
}

TEST_F(ConfigResolverTest, CoreWeaveSeparateFilesAndVirtualAddressing) {
  // The CoreWeave guide: a separate credentials file and config file, profile "cw".
  write(".coreweave/cw.credentials",
        "[cw]\naws_access_key_id = CWKEY\naws_secret_access_key = cws\n");
  write(".coreweave/cw.config",
        "[profile cw]\nregion = US-EAST-04A\nendpoint_url = https://cwobject.com\n"
        "s3 =\n    addressing_style = virtual\n");
  env_["AWS_SHARED_CREDENTIALS_FILE"] = "~/.coreweave/cw.credentials";
  env_["AWS_CONFIG_FILE"] = "~/.coreweave/cw.config";
  ConfigFlags f;
  f.profile = "cw";
  auto c = resolve(f);
  ASSERT_TRUE(c) << c.error().describe();
  EXPECT_EQ(c->credentials.access_key_id, "CWKEY");
  EXPECT_EQ(c->region, "US-EAST-04A");
  EXPECT_EQ(c->endpoint.url(), "https://cwobject.com");
  EXPECT_EQ(c->addressing_style, AddressingStyle::virtual_hosted);
}

TEST_F(ConfigResolverTest, AddressingStyleAndCaBundle) {
  write(".aws/config",
        "[default]\nca_bundle = ~/ca.pem\ns3 =\n  addressing_style = path\n");
  env_["AWS_ACCESS_KEY_ID"] = "K";
  env_["AWS_SECRET_ACCESS_KEY"] = "S";
  auto c = resolve();
  ASSERT_TRUE(c);
  EXPECT_EQ(c->addressing_style, AddressingStyle::path);
  EXPECT_EQ(c->ca_bundle, path("ca.pem"));
  env_["AWS_CA_BUNDLE"] = "/etc/env.pem";
  EXPECT_EQ(resolve()->ca_bundle, "/etc/env.pem");
  ConfigFlags f;
  f.ca_bundle = "/etc/flag.pem";
  f.addressing_style = "virtual";
  EXPECT_EQ(resolve(f)->ca_bundle, "/etc/flag.pem");
  EXPECT_EQ(resolve(f)->addressing_style, AddressingStyle::virtual_hosted);
  f.addressing_style = "sideways";
  EXPECT_FALSE(resolve(f));
}

TEST_F(ConfigResolverTest, MalformedConfigFileIsAnError) {
  write(".aws/config", "[default\nregion = x\n");
  env_["AWS_ACCESS_KEY_ID"] = "K";
  env_["AWS_SECRET_ACCESS_KEY"] = "S";
  auto c = resolve();
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().code, client_errc::invalid_config);
  EXPECT_NE(c.error().message.find("line 1"), std::string::npos);
}
